import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Config, getConfig } from '@/lib/config';
import { lockDataDir } from '@/lib/db/data-dir-lock';
import { applyMigrations, type MigrationResult } from '@/lib/db/migrate';
import * as schema from '@/lib/db/schema';
import { ApiError } from '@/lib/errors';

export type Schema = typeof schema;
/** What both drivers' databases are, so repositories and tests work with either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

/**
 * Resolved from the working directory, which is the project root under `next start`, `next dev`, vitest and
 * npm scripts. `next build` must be told to ship the folder (outputFileTracingIncludes in next.config.ts).
 */
export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'lib/db/migrations');

/** A `dataDir` that keeps PGlite in memory: nothing survives close(). */
export const IN_MEMORY = 'memory://';

export interface OpenDatabaseOptions {
  /** A Postgres connection string; without it, the embedded PGlite database under `dataDir`. */
  url?: string;
  /** The data folder; PGlite keeps its files in `<dataDir>/pglite`. Default `./data`; `memory://` keeps nothing. */
  dataDir?: string;
  /**
   * PGlite only: a dump (`PGlite#dumpDataDir()`) to create a NEW database from instead of running initdb,
   * which takes seconds. For tests; opening a folder that already holds a database with it fails.
   */
  pgliteDump?: Blob;
  migrationsFolder?: string;
}

export interface OpenedDatabase {
  db: Db;
  kind: DatabaseKind;
  /** What opening applied, for start-up logs and `npm run db:migrate`. */
  migrations: MigrationResult;
  close(): Promise<void>;
}

/** Opens a database and brings its schema up to date. Each call is a new connection (pool) or PGlite instance. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const opened = options.url
    ? openPostgres(options.url)
    : await openPglite(options.dataDir ?? './data', options.pgliteDump);
  try {
    const migrations = await applyMigrations(opened.db, options.migrationsFolder ?? MIGRATIONS_FOLDER);
    return { ...opened, migrations };
  } catch (error) {
    await opened.close().catch(() => {});
    throw error;
  }
}

function openPostgres(url: string): Omit<OpenedDatabase, 'migrations'> {
  const client = postgres(url, {
    // Pooled URLs on Vercel (Neon, Supabase) go through PgBouncer in transaction mode, which cannot keep
    // named prepared statements across transactions.
    prepare: false,
    max: 5,
    // Otherwise every "already exists, skipping" of an idempotent migration is printed.
    onnotice: () => {},
  });
  return { db: drizzlePostgres({ client, schema }), kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string, dump: Blob | undefined): Promise<Omit<OpenedDatabase, 'migrations'>> {
  const inMemory = dataDir.startsWith(IN_MEMORY);
  const directory = inMemory ? dataDir : path.resolve(dataDir, 'pglite');
  if (!inMemory) await mkdir(directory, { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(directory);
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir: directory,
      extensions: { pg_trgm },
      ...(dump ? { loadDataDir: dump } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    db: drizzlePglite({ client, schema }),
    kind: 'pglite',
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/** Which database the configuration asks for; on Vercel only a server database can work. */
export function databaseOptions(database: Config['database']): OpenDatabaseOptions {
  if (database.url) return { url: database.url };
  if (database.onVercel) {
    throw new ApiError(
      503,
      'On Vercel the disk is read-only: set DATABASE_URL to a Postgres database (Neon / Vercel Postgres).',
      { code: 'database_not_configured' },
    );
  }
  return { dataDir: database.dataDir };
}

// On globalThis rather than in a module variable: `next dev` re-evaluates modules on every edit, and two
// PGlite instances on one data folder would corrupt it.
const HOLDER = Symbol.for('iris.database');
type Holder = { [HOLDER]?: Promise<OpenedDatabase> };

/** The process's database, opened and migrated on first use. */
export function getDb(): Promise<Db> {
  const holder = globalThis as Holder;
  let opening = holder[HOLDER];
  if (!opening) {
    const started = openConfiguredDatabase();
    opening = started;
    holder[HOLDER] = started;
    // Not remembered when it fails (server down, bad URL): the next request tries again.
    started.catch(() => {
      if (holder[HOLDER] === started) delete holder[HOLDER];
    });
  }
  return opening.then((opened) => opened.db);
}

async function openConfiguredDatabase(): Promise<OpenedDatabase> {
  const options = databaseOptions(getConfig().database);
  try {
    return await openDatabase(options);
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ level: 'error', event: 'database_unavailable', name, message }));
    throw new ApiError(503, 'The database is unavailable; the operator should check the server log.', {
      code: 'database_unavailable',
      cause: error,
    });
  }
}

/** Closes the process's database (tests, scripts, shutdown); the next getDb() opens it again. */
export async function closeDb(): Promise<void> {
  const holder = globalThis as Holder;
  const opening = holder[HOLDER];
  delete holder[HOLDER];
  const opened = await opening?.catch(() => undefined);
  await opened?.close();
}
