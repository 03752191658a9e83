import { ApiError } from '@/lib/errors';

/**
 * Tells "the database cannot be reached or did not answer in time" apart from every other database failure, so
 * an outage answers 503 `database_unavailable` with `Retry-After` (and a finished answer's save is retried)
 * instead of 500 `internal_error`.
 */

/** How long a caller should wait before trying again: outages seen in practice (failover, restart) last seconds. */
export const DATABASE_RETRY_AFTER_S = 5;

/** Thrown by Iris's own deadline on a query or transaction (lib/db/deadline.ts) and on a database still opening. */
export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`The database did not answer within ${timeoutMs} ms`);
  }
}

/** Socket-level failures Node and postgres.js report by `code`. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
]);

/**
 * SQLSTATEs that mean "not now" rather than "wrong": class 08 (connection exception), a server shutting down or
 * starting (57P01–57P03), too many connections (53300) and a statement cancelled by statement_timeout (57014).
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300' ||
    code === '57014'
  );
}

/**
 * Only what the database layer throws counts: Iris's own deadline, postgres.js's errors (raw, or wrapped by
 * Drizzle's DrizzleQueryError) and the server's SQLSTATEs. Causes are not searched further, so a failed fetch to
 * Gemini or an image host (a TypeError whose cause says ECONNREFUSED) is never taken for a database outage.
 *
 * By shape, not `instanceof`: Next bundles routes and instrumentation separately, each with its own copy of these
 * classes, and the process's one database (opened by whichever came first) throws the classes of its copy.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'DatabaseTimeoutError') return true;
  const { code } = error as { code?: unknown };
  if (error.name === 'ApiError') return code === 'database_unavailable';
  if (isDrizzleQueryError(error)) return isDatabaseUnavailable(error.cause);
  if (typeof code !== 'string') return false;
  if (CONNECTION_CODES.has(code)) return true;
  // postgres.js's PostgresError, or PGlite's DatabaseError: both carry the SQLSTATE as `code`.
  return /^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code);
}

/** Drizzle's DrizzleQueryError ("Failed query: …", with the query, its params and the driver's error as cause). */
function isDrizzleQueryError(error: Error): boolean {
  const shaped = error as { query?: unknown; params?: unknown };
  return typeof shaped.query === 'string' && 'params' in error && error.cause !== undefined;
}

/** A socket-level failure (refused, reset, closed) as postgres.js reports it, not a statement the server refused. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/** The answer to a request that needed the database while it was unreachable. */
export function databaseUnavailable(cause?: unknown): ApiError {
  return new ApiError(
    503,
    `Storage is unreachable: the database did not answer. Nothing was changed; try again in ${DATABASE_RETRY_AFTER_S} seconds.`,
    { code: 'database_unavailable', headers: { 'retry-after': String(DATABASE_RETRY_AFTER_S) }, cause },
  );
}

/** A short, content-free description of a database failure for the log (driver messages can carry SQL and params). */
export function describeDatabaseError(error: unknown): { name: string; code?: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    const name = current instanceof Error ? current.name : typeof current;
    if (typeof code === 'string' && name !== 'ApiError') return { name, code };
    if (name === 'DatabaseTimeoutError') return { name };
    current = (current as { cause?: unknown }).cause;
  }
  return { name: error instanceof Error ? error.name : typeof error };
}
