import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import {
  type DatabaseKind,
  type Db,
  IN_MEMORY,
  MIGRATIONS_FOLDER,
  type OpenedDatabase,
  openDatabase,
} from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';

/**
 * The backends the storage suite runs against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set or a
 * server answers on 127.0.0.1:5432. In CI a missing PostgreSQL fails the suite instead of skipping half of it.
 *
 * Each test file gets its own fresh database (PGlite in memory or in a temp folder, or a new
 * `iris_test_<random>` database created through the admin URL and dropped afterwards), so files can run in parallel.
 */

export interface TestDatabase {
  kind: DatabaseKind;
  /** Opens (and migrates) the database; on disk and on PostgreSQL, again and again. */
  open(): Promise<OpenedDatabase>;
  destroy(): Promise<void>;
}

export interface TestBackend {
  name: DatabaseKind;
  /**
   * A new, empty database. PGlite only: `start: 'migrated'` spares the migration run, `inMemory` the disk
   * (each open() is then a new database).
   */
  create(options?: { start?: PgliteStart; inMemory?: boolean }): Promise<TestDatabase>;
}

const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * PGlite's initdb takes seconds; loading a dump of a fresh cluster takes a fraction of that. So the dumps are
 * made once per machine and reused: `empty` (initdb only, so migrations still run from nothing) and `migrated`
 * (for the repository tests), keyed by the PGlite version and the migration files so a change remakes them.
 */
export type PgliteStart = 'empty' | 'migrated';

async function pgliteDump(start: PgliteStart): Promise<Blob> {
  const { version } = JSON.parse(
    await readFile(path.join(process.cwd(), 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  if (start === 'empty') {
    return cachedFile(`iris-pglite-${version}-empty.tar`, async () => {
      const client = await PGlite.create();
      try {
        return await client.dumpDataDir('none');
      } finally {
        await client.close();
      }
    });
  }
  const empty = await pgliteDump('empty');
  const hash = createHash('sha256');
  for (const name of (await readdir(MIGRATIONS_FOLDER, { recursive: true })).sort()) {
    const file = path.join(MIGRATIONS_FOLDER, name);
    if ((await stat(file)).isFile()) hash.update(name).update(await readFile(file));
  }
  const name = `iris-pglite-${version}-migrated-${hash.digest('hex').slice(0, 12)}.tar`;
  return cachedFile(name, async () => {
    // A dump is 40 MB: those of earlier migration sets go when a new one is made.
    for (const stale of await readdir(tmpdir())) {
      if (/^iris-pglite-.+-migrated-.+\.tar$/.test(stale) && stale !== name)
        await rm(path.join(tmpdir(), stale), { force: true });
    }
    const client = await PGlite.create({ loadDataDir: empty, extensions: { pg_trgm } });
    try {
      await applyMigrations(drizzle({ client }), MIGRATIONS_FOLDER);
      return await client.dumpDataDir('none');
    } finally {
      await client.close();
    }
  });
}

/** A file in the temp folder, made by `make` the first time; test files racing to make it all get a whole one. */
async function cachedFile(name: string, make: () => Promise<Blob>): Promise<Blob> {
  const target = path.join(tmpdir(), name);
  const cached = await readFile(target).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const blob = await make();
  const partial = `${target}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
  await rename(partial, target);
  return blob;
}

const pglite: TestBackend = {
  name: 'pglite',
  async create({ start = 'empty', inMemory = false } = {}) {
    const dump = await pgliteDump(start);
    const dataDir = inMemory ? IN_MEMORY : await mkdtemp(path.join(tmpdir(), 'iris-pglite-'));
    let created = false;
    return {
      kind: 'pglite',
      async open() {
        // The dump creates the database on the first open; later opens find it on disk (restart tests).
        const opened = await openDatabase({ dataDir, pgliteDump: created && !inMemory ? undefined : dump });
        created = true;
        return opened;
      },
      destroy: () => (inMemory ? Promise.resolve() : rm(dataDir, { recursive: true, force: true })),
    };
  },
};

/** Puts an empty PGlite database in `<dataDir>/pglite`, where getDb will look for it. */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  const client = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), loadDataDir: await pgliteDump('empty') });
  await client.close();
}

/** A new, empty `iris_test_<random>` database on the server behind `adminUrl`, and how to drop it. */
export async function createPostgresDatabase(
  adminUrl: string = process.env.TEST_DATABASE_URL?.trim() || LOCAL_ADMIN_URL,
): Promise<{ url: string; destroy(): Promise<void> }> {
  const name = `iris_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    throw new Error(
      `Cannot create a test database through ${redact(adminUrl)} (the role needs CREATEDB): ${String(error)}`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async destroy() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

function postgresBackend(adminUrl: string): TestBackend {
  return {
    name: 'postgres',
    async create() {
      const created = await createPostgresDatabase(adminUrl);
      return { kind: 'postgres', open: () => openDatabase({ url: created.url }), destroy: created.destroy };
    },
  };
}

/** Stands in for PostgreSQL in CI when it is not there: every test of that half fails with the reason. */
function missingPostgres(reason: string): TestBackend {
  return {
    name: 'postgres',
    create: () => Promise.reject(new Error(`PostgreSQL is required in CI but ${reason}`)),
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

async function answers(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
}

async function detectBackends(): Promise<TestBackend[]> {
  const explicit = process.env.TEST_DATABASE_URL?.trim();
  if (explicit) return [pglite, postgresBackend(explicit)];
  if (await answers(LOCAL_ADMIN_URL)) return [pglite, postgresBackend(LOCAL_ADMIN_URL)];
  if (process.env.CI) return [pglite, missingPostgres(`nothing answers at ${LOCAL_ADMIN_URL}`)];
  return [pglite];
}

export const backends: TestBackend[] = await detectBackends();

export interface DatabaseHandle {
  readonly db: Db;
  readonly opened: OpenedDatabase;
  readonly database: TestDatabase;
}

/**
 * A fresh database for the enclosing describe block: created and opened (migrated) before its tests,
 * closed and removed after them. Tests share it, so each should use its own owner ids (see `owner()`).
 */
export function useDatabase(backend: TestBackend): DatabaseHandle {
  let database: TestDatabase | undefined;
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    database = await backend.create({ start: 'migrated', inMemory: true });
    opened = await database.open();
  }, 30_000);
  afterAll(async () => {
    await opened?.close();
    await database?.destroy();
  }, 30_000);
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${backend.name} test database is not open`);
    return value;
  };
  return {
    get db() {
      return ready(opened).db;
    },
    get opened() {
      return ready(opened);
    },
    get database() {
      return ready(database);
    },
  };
}

/** A fresh owner id, so tests sharing a database never see each other's rows. */
export function owner(label = 'owner'): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}
