import { createClient, type RedisClientType } from 'redis';
import { getConfig } from '@/lib/config';

/**
 * The one Redis connection of this process, for state every instance must share (stream progress, limits,
 * revocations, key-pool cooldowns). Unset REDIS_URL means there is no Redis: callers keep that state in process,
 * which is right for a single instance.
 *
 * Commands fail fast while Redis is unreachable (no offline queue), so a caller can fall back instead of
 * hanging; the client keeps reconnecting on its own and is usable again as soon as Redis answers.
 */

export type Redis = RedisClientType;

// On globalThis rather than in module variables, as the database is: Next gives each route bundle and
// instrumentation.ts their own copy of this module, and shutdown must close the one connection they all use.
const HOLDER = Symbol.for('iris.redis');
type Holder = { [HOLDER]?: { client?: Redis; connecting?: Promise<Redis>; warnedAt: number } };

function shared(): { client?: Redis; connecting?: Promise<Redis>; warnedAt: number } {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= { warnedAt: 0 };
  return holder[HOLDER];
}

/** Time a command may take before the caller treats Redis as unavailable. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

export function redisConfigured(): boolean {
  return getConfig().redisUrl !== undefined;
}

/** The shared client, connected; undefined without REDIS_URL. Rejects while Redis cannot be reached. */
export async function getRedis(): Promise<Redis | undefined> {
  const url = getConfig().redisUrl;
  if (url === undefined) return undefined;
  const state = shared();
  if (state.client?.isReady) return state.client;
  state.connecting ??= connect(url).finally(() => {
    state.connecting = undefined;
  });
  return state.connecting;
}

async function connect(url: string): Promise<Redis> {
  const state = shared();
  if (!state.client) {
    state.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
        // Capped backoff: an outage costs a reconnect attempt every 2 s at most, never a crash.
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
      },
    }) as Redis;
    // Without a listener an 'error' event would crash the process; the URL may hold a password, so never log it.
    state.client.on('error', (error: unknown) => warnRedisUnavailable(error));
  }
  const client = state.client;
  if (!client.isOpen) {
    // With a reconnect strategy, connect() keeps trying until Redis answers: the first caller must not wait for
    // that. The client goes on connecting in the background; until it is ready, callers are refused at once.
    const opening = client.connect();
    opening.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer in time')), REDIS_COMMAND_TIMEOUT_MS);
    });
    try {
      await Promise.race([opening, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } else if (!client.isReady) throw new Error('Redis is reconnecting');
  return client;
}

/** One warning per 30 s while Redis is down: the fallback is visible in the logs without flooding them. */
export function warnRedisUnavailable(error: unknown): void {
  const state = shared();
  const now = Date.now();
  if (now - state.warnedAt < 30_000) return;
  state.warnedAt = now;
  const name = error instanceof Error ? error.name : typeof error;
  console.warn(JSON.stringify({ level: 'warn', event: 'redis_unavailable', name, fallback: 'in-process' }));
}

/** For shutdown and tests. */
export async function closeRedis(): Promise<void> {
  const state = shared();
  const open = state.client;
  state.client = undefined;
  if (open?.isOpen) await open.close().catch(() => open.destroy());
}
