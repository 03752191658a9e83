import type { Sql } from 'postgres';
import { DatabaseTimeoutError, isConnectionFailure } from '@/lib/db/unavailable';

/**
 * Bounds every query and transaction Drizzle sends through postgres.js by `timeoutMs`, on the client.
 *
 * A server-side statement_timeout cannot do this: it does not help when the network, not the server, is slow
 * or hung (no answer ever comes back to say the statement was cancelled), and PgBouncer-style poolers refuse it
 * as a start-up parameter. A query past its deadline is cancelled (a query still waiting for a connection simply
 * leaves the queue) and the caller gets a DatabaseTimeoutError, which routes answer as 503 `database_unavailable`.
 *
 * Drizzle's postgres-js session only calls `unsafe(...)` (awaited, or `.values()` then awaited) and `begin(...)`;
 * everything else passes through unchanged. `current` gives the client to use, so the pool behind can be replaced
 * (`onTimeout` is told of every deadline passed, see lib/db/client.ts).
 */
export function withDeadline<T extends Sql>(
  current: () => T,
  timeoutMs: number,
  onTrouble: (reason: 'deadline' | 'connection') => void = () => {},
): T {
  // The target only gives the proxy a function's shape; every use goes to the client `current` returns now.
  return new Proxy(current(), {
    apply(_target, thisArg, args) {
      return Reflect.apply(current(), thisArg, args);
    },
    get(_target, property) {
      const sql = current();
      if (property === 'unsafe') {
        return (...args: Parameters<Sql['unsafe']>) =>
          boundedQuery(sql.unsafe(...args) as unknown as AwaitableQuery, timeoutMs, onTrouble);
      }
      if (property === 'begin') {
        return (...args: unknown[]) => {
          // begin(callback) or begin(options, callback): the transaction's own sql gets the same bound.
          const last = args.length - 1;
          const callback = args[last] as (tx: Sql) => unknown;
          args[last] = (tx: Sql) => callback(withDeadline(() => tx, timeoutMs, onTrouble));
          return watched(
            raceDeadline((sql.begin as (...a: unknown[]) => Promise<unknown>)(...args), timeoutMs, () =>
              onTrouble('deadline'),
            ),
            onTrouble,
          );
        };
      }
      return Reflect.get(sql, property);
    },
  });
}

interface AwaitableQuery extends PromiseLike<unknown> {
  values(): AwaitableQuery;
  cancel(): void;
}

/** postgres.js queries run when first awaited; this keeps that, and `.values()`, and adds the deadline. */
function boundedQuery(
  query: AwaitableQuery,
  timeoutMs: number,
  onTrouble: (reason: 'deadline' | 'connection') => void,
): AwaitableQuery {
  return {
    values: () => boundedQuery(query.values(), timeoutMs, onTrouble),
    cancel: () => query.cancel(),
    // biome-ignore lint/suspicious/noThenProperty: this object stands in for postgres.js's awaitable query
    then: (onFulfilled, onRejected) =>
      watched(
        raceDeadline(query, timeoutMs, () => {
          query.cancel();
          onTrouble('deadline');
        }),
        onTrouble,
      ).then(onFulfilled, onRejected),
  };
}

/** Tells `onTrouble` of a connection that broke (reset, closed, refused) under a query. */
function watched<T>(work: Promise<T>, onTrouble: (reason: 'connection') => void): Promise<T> {
  return work.catch((error: unknown) => {
    if (isConnectionFailure(error)) onTrouble('connection');
    throw error;
  });
}

export function raceDeadline<T>(work: PromiseLike<T>, timeoutMs: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new DatabaseTimeoutError(timeoutMs));
      try {
        onTimeout?.();
      } catch {
        // Cancelling is a courtesy to the server; the caller already has its answer.
      }
    }, timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
