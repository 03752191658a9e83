import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { type Config, getConfig } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { getRedis, type Redis, warnRedisUnavailable } from '@/lib/redis/client';

/**
 * Throttles guessing: wrong keys (a wrong Bearer key on /v1 or /api, a wrong key at sign-in) are counted per
 * client address, atomically, so a burst of parallel guesses gets no further than a sequence. After freeFailures()
 * within an hour, the address gets one more try, then must wait 1 s for the next, then 2 s, 4 s … up to 15 min.
 * While it waits, every key it sends, right or wrong, is answered 429 with Retry-After, so a guesser learns
 * nothing from an attempt made while waiting. Right keys are never counted: a client's own traffic, however
 * parallel, never slows it, and a success does not clear the count either (a caller holding one valid key cannot
 * use it to reset its guessing). Other addresses are never affected, whatever one address does.
 *
 * The counts live in Redis when REDIS_URL is set (every instance sees the same), else in this process.
 * While Redis is down they fall back to this process, with a warning.
 */

/** AUTH_FREE_FAILURES (default 10): test suites that share one server across many wrong-key tests raise it. */
export function freeFailures(): number {
  return getConfig().authFreeFailures;
}
const FAILURE_WINDOW_SECONDS = 60 * 60;
export const MAX_BLOCK_SECONDS = 15 * 60;

interface Limiters {
  failures: RateLimiterMemory | RateLimiterRedis;
  /** Past the free failures: one attempt per backoff interval (each key's duration is set when it is made). */
  gate: RateLimiterMemory | RateLimiterRedis;
}

// `points` is only a ceiling for penalty(), which never refuses: recordFailure compares the count itself.
const FAILURES = { keyPrefix: 'iris:auth-failures', points: 1_000_000, duration: FAILURE_WINDOW_SECONDS };
const GATE = { keyPrefix: 'iris:auth-gate', points: 1, duration: 1 };

/** The in-process fallback of a Redis limiter: says so in the log whenever it is used. */
class FallbackLimiter extends RateLimiterMemory {
  override consume(...args: Parameters<RateLimiterMemory['consume']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.consume(...args);
  }
  override get(...args: Parameters<RateLimiterMemory['get']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.get(...args);
  }
  override penalty(...args: Parameters<RateLimiterMemory['penalty']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.penalty(...args);
  }
  override reward(...args: Parameters<RateLimiterMemory['reward']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.reward(...args);
  }
}

const memory: Limiters = { failures: new RateLimiterMemory(FAILURES), gate: new RateLimiterMemory(GATE) };
// The Redis fallbacks are their own memory limiters, kept across outages, so counts made during one persist.
const fallback: Limiters = { failures: new FallbackLimiter(FAILURES), gate: new FallbackLimiter(GATE) };
let onRedis: { client: Redis; limiters: Limiters } | undefined;

async function limiters(): Promise<Limiters> {
  if (getConfig().redisUrl === undefined) return memory;
  let client: Redis | undefined;
  try {
    client = await getRedis();
  } catch (error) {
    warnRedisUnavailable(error);
    return fallback;
  }
  if (!client) return memory;
  if (onRedis?.client !== client) {
    const options = { storeClient: client, useRedisPackage: true, rejectIfRedisNotReady: true };
    onRedis = {
      client,
      limiters: {
        failures: new RateLimiterRedis({ ...FAILURES, ...options, insuranceLimiter: fallback.failures }),
        gate: new RateLimiterRedis({ ...GATE, ...options, insuranceLimiter: fallback.gate }),
      },
    };
  }
  return onRedis.limiters;
}

/** The address failures are counted under. */
export function throttleKey(request: Request, config: Pick<Config, 'trustProxy'>): string {
  return clientAddress(request, config.trustProxy);
}

/** A 429 while the address must wait: call with a right key before letting it through. */
export async function assertNotWaiting(address: string): Promise<void> {
  const { gate } = await limiters();
  const waiting = await gate.get(address);
  if (waiting && waiting.consumedPoints >= GATE.points && waiting.msBeforeNext > 0) {
    throw tooManyFailures(waiting.msBeforeNext);
  }
}

/**
 * Counts a wrong key. Returns when this failure may be told as such (the caller answers 401); throws the 429
 * when the address has used its tries and must wait.
 */
export async function recordFailure(address: string): Promise<void> {
  const { failures, gate } = await limiters();
  const counted: RateLimiterRes = await failures.penalty(address);
  const over = counted.consumedPoints - freeFailures();
  if (over <= 0) return;
  try {
    // The one try of this interval; it opens the next, twice as long.
    await gate.consume(address, 1, { customDuration: Math.min(2 ** (over - 1), MAX_BLOCK_SECONDS) });
  } catch (refused) {
    // A try refused while waiting is not looked at, so it does not lengthen the wait: only tried keys do.
    await failures.reward(address);
    if (refused instanceof Error) throw refused;
    throw tooManyFailures((refused as RateLimiterRes).msBeforeNext);
  }
}

function tooManyFailures(msBeforeNext: number): ApiError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ApiError(
    429,
    `Too many failed attempts to authenticate from your address. Try again in ${seconds} s with a valid key.`,
    { code: 'too_many_failed_attempts', headers: { 'retry-after': String(seconds) } },
  );
}
