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

const { assertNotThrottled, FREE_FAILURES, noteFailedAuthentication } = await import('@/lib/auth-throttle');
const { closeRedis } = await import('@/lib/redis/client');

/** A documentation-range address no other test uses. */
const address = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}-${randomBytes(3).toString('hex')}`;

async function blocked(at: string): Promise<ApiError | undefined> {
  try {
    await assertNotThrottled(at);
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

afterAll(async () => {
  await closeRedis();
});

describe.each([
  { name: 'in memory', env: {} },
  { name: 'in Redis', env: { REDIS_URL: 'redis://127.0.0.1:6379' } },
])('the throttle $name', ({ env }) => {
  it('lets FREE_FAILURES through, then blocks with a 429 and Retry-After, doubling each time', async () => {
    state.config = configWith(env);
    const at = address();
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(await blocked(at)).toBeUndefined();
      await noteFailedAuthentication(at);
    }
    expect(await blocked(at)).toBeUndefined();
    await noteFailedAuthentication(at);
    const first = await blocked(at);
    expect(first?.status).toBe(429);
    expect(first?.code).toBe('too_many_failed_attempts');
    expect(first?.type).toBe('rate_limit_error');
    expect(first?.headers['retry-after']).toBe('1');

    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await blocked(at)).toBeUndefined();
    await noteFailedAuthentication(at);
    expect((await blocked(at))?.headers['retry-after']).toBe('2');
    await noteFailedAuthentication(at);
    expect((await blocked(at))?.headers['retry-after']).toBe('4');
  });

  it('never slows another address', async () => {
    state.config = configWith(env);
    const noisy = address();
    for (let i = 0; i < FREE_FAILURES + 5; i++) await noteFailedAuthentication(noisy);
    expect((await blocked(noisy))?.status).toBe(429);
    expect(await blocked(address())).toBeUndefined();
  });
});

describe('while Redis cannot be reached', () => {
  it('counts in memory instead, with a warning, and still blocks', { timeout: 20_000 }, async () => {
    await closeRedis();
    state.config = configWith({ REDIS_URL: 'redis://127.0.0.1:1' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const at = address();
    for (let i = 0; i <= FREE_FAILURES; i++) await noteFailedAuthentication(at);
    expect((await blocked(at))?.status).toBe(429);
    expect(warn.mock.calls.some(([line]) => String(line).includes('redis_unavailable'))).toBe(true);
    warn.mockRestore();
    await closeRedis();
  });
});
