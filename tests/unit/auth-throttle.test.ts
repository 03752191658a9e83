import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { configWith } from './session/helpers';

/** The failed-authentication throttle: per address, exponential, in memory or in Redis (with a fallback). */

const state = vi.hoisted(() => ({ config: undefined as Config | undefined }));
vi.mock('@/lib/config', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/config')>();
  return { ...actual, getConfig: () => state.config ?? actual.parseConfig({ IRIS_QUIET_LOGS: 'true' }) };
});

const { assertNotWaiting, freeFailures, recordFailure } = await import('@/lib/auth-throttle');
const FREE_FAILURES = freeFailures();
const { closeRedis } = await import('@/lib/redis/client');

let counter = 0;
/** An address no other test (or earlier run, in Redis) uses. */
const address = () => `198.51.100.${++counter}-${randomBytes(4).toString('hex')}`;

/** What `action` threw, if it was an ApiError (the 429); undefined when it went through. */
async function refusal(action: Promise<void>): Promise<ApiError | undefined> {
  try {
    await action;
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}
const wrongKey = (at: string) => refusal(recordFailure(at));
const rightKey = (at: string) => refusal(assertNotWaiting(at));

afterAll(async () => {
  await closeRedis();
});

describe.each([
  { name: 'in memory', env: {} },
  { name: 'in Redis', env: { REDIS_URL: 'redis://127.0.0.1:6379' } },
])('the throttle $name', ({ env }) => {
  it('tells FREE_FAILURES wrong keys and one more as wrong, then makes the address wait, twice as long each time', async () => {
    state.config = configWith(env);
    const at = address();
    for (let i = 0; i <= FREE_FAILURES; i++) expect(await wrongKey(at)).toBeUndefined();
    const refused = await wrongKey(at);
    expect(refused?.status).toBe(429);
    expect(refused?.code).toBe('too_many_failed_attempts');
    expect(refused?.type).toBe('rate_limit_error');
    expect(refused?.headers['retry-after']).toBe('1');
    // A right key is refused alike while the address waits, so a refusal says nothing about the key.
    expect((await rightKey(at))?.headers['retry-after']).toBe('1');
    // Hammering while refused does not lengthen the wait: refused tries are not looked at.
    for (let i = 0; i < 5; i++) expect((await wrongKey(at))?.headers['retry-after']).toBe('1');

    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await wrongKey(at)).toBeUndefined();
    expect((await wrongKey(at))?.headers['retry-after']).toBe('2');
  });

  it('gets no more wrong keys told apart through a burst of parallel ones than through a sequence', async () => {
    state.config = configWith(env);
    const at = address();
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => wrongKey(at)));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(FREE_FAILURES + 1);
    expect(outcomes.filter((o) => o?.status === 429)).toHaveLength(30 - FREE_FAILURES - 1);
  });

  it('never counts right keys: a client’s own parallel traffic never slows it', async () => {
    state.config = configWith(env);
    const at = address();
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => rightKey(at)));
    expect(outcomes.every((o) => o === undefined)).toBe(true);
    expect(await wrongKey(at)).toBeUndefined();
  });

  it('never slows another address', async () => {
    state.config = configWith(env);
    const noisy = address();
    for (let i = 0; i < FREE_FAILURES + 5; i++) await wrongKey(noisy);
    expect((await rightKey(noisy))?.status).toBe(429);
    const quiet = address();
    expect(await rightKey(quiet)).toBeUndefined();
    expect(await wrongKey(quiet)).toBeUndefined();
  });
});

describe('while Redis cannot be reached', () => {
  it('counts in memory instead, with a warning, and still makes the address wait', { timeout: 20_000 }, async () => {
    await closeRedis();
    state.config = configWith({ REDIS_URL: 'redis://127.0.0.1:1' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const at = address();
    for (let i = 0; i <= FREE_FAILURES; i++) expect(await wrongKey(at)).toBeUndefined();
    expect((await wrongKey(at))?.status).toBe(429);
    expect((await rightKey(at))?.status).toBe(429);
    expect(warn.mock.calls.some(([line]) => String(line).includes('redis_unavailable'))).toBe(true);
    warn.mockRestore();
    await closeRedis();
  });
});
