import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { type Config, getConfig } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { getRedis, type Redis, warnRedisUnavailable } from '@/lib/redis/client';

/**
 * Throttles guessing: failed authentications (a wrong Bearer key on /v1 or /api, a wrong key at sign-in) are
 * counted per client address. After FREE_FAILURES within an hour, each further failure blocks the address for
 * twice as long as the one before (1 s, 2 s, 4 s … up to 15 min); while blocked, every credential it sends is
 * answered 429 with Retry-After before it is looked at, so a guesser learns nothing from a blocked attempt.
 * A success does not clear the count: a caller holding one valid key cannot use it to reset its guessing.
 * Other addresses are not affected, whatever one address does.
 *
 * The counts live in Redis when REDIS_URL is set (every instance sees the same), else in this process.
 * While Redis is down they fall back to this process, with a warning.
 */

export const FREE_FAILURES = 10;
const FAILURE_WINDOW_SECONDS = 60 * 60;
export const MAX_BLOCK_SECONDS = 15 * 60;

interface Limiters {
  failures: RateLimiterMemory | RateLimiterRedis;
  blocks: RateLimiterMemory | RateLimiterRedis;
}

const FAILURES = { keyPrefix: 'iris:auth-failures', points: FREE_FAILURES, duration: FAILURE_WINDOW_SECONDS };
// Only block() is used on it: one point, so a blocked key is one over it.
const BLOCKS = { keyPrefix: 'iris:auth-block', points: 1, duration: 1 };

/** The in-process fallback of a Redis limiter: says so in the log whenever it is used. */
class FallbackLimiter extends RateLimiterMemory {
  override consume(...args: Parameters<RateLimiterMemory['consume']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.consume(...args);
  }
  override penalty(...args: Parameters<RateLimiterMemory['penalty']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.penalty(...args);
  }
  override get(...args: Parameters<RateLimiterMemory['get']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.get(...args);
  }
  override block(...args: Parameters<RateLimiterMemory['block']>) {
    warnRedisUnavailable(new Error('Redis is unavailable'));
    return super.block(...args);
  }
}

const memory: Limiters = { failures: new RateLimiterMemory(FAILURES), blocks: new RateLimiterMemory(BLOCKS) };
// The Redis fallbacks are their own memory limiters, kept across outages, so counts made during one persist.
const fallback: Limiters = { failures: new FallbackLimiter(FAILURES), blocks: new FallbackLimiter(BLOCKS) };
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
        blocks: new RateLimiterRedis({ ...BLOCKS, ...options, insuranceLimiter: fallback.blocks }),
      },
    };
  }
  return onRedis.limiters;
}

/** The address failures are counted under. */
export function throttleKey(request: Request, config: Pick<Config, 'trustProxy'>): string {
  return clientAddress(request, config.trustProxy);
}

/** A 429 when the address is blocked; call before looking at the credential. */
export async function assertNotThrottled(address: string): Promise<void> {
  const blocked = await (await limiters()).blocks.get(address);
  if (blocked && blocked.consumedPoints > BLOCKS.points && blocked.msBeforeNext > 0) {
    throw tooManyFailures(blocked.msBeforeNext);
  }
}

/** Counts a failed authentication; past the free ones, blocks the address for twice as long as last time. */
export async function noteFailedAuthentication(address: string): Promise<void> {
  const { failures, blocks } = await limiters();
  const counted: RateLimiterRes = await failures.penalty(address);
  const over = counted.consumedPoints - FREE_FAILURES;
  if (over > 0) await blocks.block(address, Math.min(2 ** (over - 1), MAX_BLOCK_SECONDS));
}

function tooManyFailures(msBeforeNext: number): ApiError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ApiError(
    429,
    `Too many failed attempts to authenticate from your address. Try again in ${seconds} s with a valid key.`,
    { code: 'too_many_failed_attempts', headers: { 'retry-after': String(seconds) } },
  );
}
