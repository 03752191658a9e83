import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Config, getConfig } from '@/lib/config';
import { lockDataDir } from '@/lib/db/data-dir-lock';
import { raceDeadline, withDeadline } from '@/lib/db/deadline';
import { applyMigrations, type MigrationResult } from '@/lib/db/migrate';
import * as schema from '@/lib/db/schema';
import { databaseUnavailable, describeDatabaseError, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { ApiError } from '@/lib/errors';
import { interruptAnswersLeftStreaming } from '@/lib/lifecycle/stale-answers';

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
  /**
   * Postgres only: the longest one query or transaction may take (and connecting, rounded up to seconds);
   * past it the caller gets a DatabaseTimeoutError. Unset: no deadline (scripts, tests of the repositories).
   */
  timeoutMs?: number;
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
    ? openPostgres(options.url, options.timeoutMs)
    : await openPglite(options.dataDir ?? './data', options.pgliteDump);
  try {
    // Without the query deadline: a first migration may rightly take longer than any request should.
    const migrations = await applyMigrations(opened.unbounded, options.migrationsFolder ?? MIGRATIONS_FOLDER);
    const { unbounded: _, ...rest } = opened;
    return { ...rest, migrations };
  } catch (error) {
    await opened.close().catch(() => {});
    throw error;
  }
}

type Opening = Omit<OpenedDatabase, 'migrations'> & { unbounded: Db };

function openPostgres(url: string, timeoutMs: number | undefined): Opening {
  const connect = () =>
    postgres(url, {
      // Pooled URLs on Vercel (Neon, Supabase) go through PgBouncer in transaction mode, which cannot keep
      // named prepared statements across transactions.
      prepare: false,
      max: 5,
      // Otherwise every "already exists, skipping" of an idempotent migration is printed.
      onnotice: () => {},
      // A dead server or network fails the connection attempt in time instead of the OS's minutes.
      ...(timeoutMs ? { connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)) } : {}),
      // Idle connections are closed, so a pooler or a failover does not leave the pool holding dead sockets.
      idle_timeout: 60,
    });
  let client = connect();
  const unbounded = drizzlePostgres({ client, schema });
  if (!timeoutMs) return { db: unbounded, unbounded, kind: 'postgres', close: () => client.end({ timeout: 5 }) };

  // postgres.js 3.4.9 can leave a connection whose socket closed mid-write unable to write ever again
  // (porsager/postgres#1208): its queries then hang until the deadline, also after the database is back. So a
  // broken connection or a query past its deadline replaces the whole pool, soon (coalesced, at most every 250 ms)
  // and once more after the last such failure: the pool in use after an outage is always one made after it.
  // The old pool's running queries may finish, up to the deadline.
  let replacing: ReturnType<typeof setTimeout> | undefined;
  let replacedAt = 0;
  let loggedAt = 0;
  let replacements = 0;
  const replacePool = (reason: 'deadline' | 'connection') => {
    if (replacing) return;
    replacing = setTimeout(
      () => {
        replacing = undefined;
        replacedAt = Date.now();
        const old = client;
        client = connect();
        // Drizzle sets its type parsers on the client it is given; the replacement needs them too.
        drizzlePostgres({ client, schema });
        void old.end({ timeout: Math.ceil(timeoutMs / 1000) }).catch(() => {});
        replacements += 1;
        if (Date.now() - loggedAt > 5_000) {
          loggedAt = Date.now();
          console.warn(JSON.stringify({ level: 'warn', event: 'database_pool_replaced', reason, replacements }));
        }
      },
      Math.max(0, replacedAt + 250 - Date.now()),
    );
    replacing.unref?.();
  };
  const db = drizzlePostgres({ client: withDeadline(() => client, timeoutMs, replacePool), schema });
  return { db, unbounded, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string, dump: Blob | undefined): Promise<Opening> {
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
  const db = drizzlePglite({ client, schema });
  return {
    db,
    unbounded: db,
    kind: 'pglite',
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/** Which database the configuration asks for; on Vercel only a server database can work. */
export function databaseOptions(
  database: Pick<Config['database'], 'url' | 'dataDir' | 'onVercel'> & { timeoutMs?: number },
): OpenDatabaseOptions {
  if (database.url) return { url: database.url, ...(database.timeoutMs ? { timeoutMs: database.timeoutMs } : {}) };
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

/**
 * The process's database, opened and migrated on first use. Waiting for it is bounded by DATABASE_TIMEOUT_MS
 * (PGlite's first start, a Postgres that does not answer): past it the request answers 503 and the opening
 * goes on for the next one.
 */
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
  const waiting = opening.then((opened) => opened.db);
  let timeoutMs: number;
  try {
    timeoutMs = getConfig().database.timeoutMs;
  } catch {
    return waiting;
  }
  return raceDeadline(waiting, timeoutMs).catch((error: unknown) => {
    throw asOwnApiError(error) ?? databaseUnavailable(error);
  });
}

/**
 * The opening may have run in another bundle's copy of this module (instrumentation opens it first), whose
 * ApiError class is not this one: `toApiError`'s `instanceof` would take it for an unexpected error.
 */
function asOwnApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (!(error instanceof Error) || error.name !== 'ApiError') return undefined;
  const shaped = error as Error & Pick<ApiError, 'status' | 'code' | 'param' | 'headers' | 'type'>;
  return new ApiError(shaped.status, shaped.message, {
    code: shaped.code,
    param: shaped.param,
    headers: shaped.headers,
    type: shaped.type,
    cause: error,
  });
}

async function openConfiguredDatabase(): Promise<OpenedDatabase> {
  const config = getConfig();
  const options = databaseOptions(config.database);
  try {
    const opened = await openDatabase(options);
    await interruptAnswersLeftStreaming(opened.db, config);
    return opened;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      JSON.stringify({ level: 'error', event: 'database_unavailable', ...describeDatabaseError(error), message }),
    );
    throw databaseUnavailable(error);
  }
}

/**
 * Throws 503 `database_unavailable` unless the database answers now: for work that will have to be saved (a
 * stored Response), checked before Gemini is called, so an outage costs the caller nothing.
 */
export async function assertDatabaseReachable(): Promise<void> {
  const db = await getDb();
  try {
    await db.execute(sql`select 1`);
  } catch (error) {
    throw isDatabaseUnavailable(error) ? databaseUnavailable(error) : error;
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
