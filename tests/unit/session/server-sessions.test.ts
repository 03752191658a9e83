import { createHash, createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { sealData, unsealData } from 'iron-session';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { keyDigest } from '@/lib/auth';
import type { Config } from '@/lib/config';
import { serverSecrets, sessions } from '@/lib/db/schema';
import { ApiError } from '@/lib/errors';
import {
  configWith,
  cookieFor,
  type DbHolder,
  errorOf,
  KEY_A,
  KEY_B,
  keysConfig,
  openFileDatabase,
  request,
  SECRET,
} from './helpers';

/**
 * Sessions as server-side records: what ends them (sign-out, a key's revocation or removal, another instance
 * deleting the record), what the cookie holds, and the secret that seals it.
 */

const holder = vi.hoisted((): DbHolder & { config?: Config } => ({}));
vi.mock('@/lib/db/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db/client')>()),
  getDb: async () => {
    if (!holder.db) throw new Error('the test database is not open');
    return holder.db;
  },
}));
// getRedis() and the throttle read the process's configuration; tests that use Redis set REDIS_URL in it.
vi.mock('@/lib/config', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/config')>();
  return { ...actual, getConfig: () => holder.config ?? actual.parseConfig({ IRIS_QUIET_LOGS: 'true' }) };
});
openFileDatabase(holder);
const db = () => {
  if (!holder.db) throw new Error('the test database is not open');
  return holder.db;
};

const { resolveOwner } = await import('@/lib/owner');
const { clearSession, readSession, SESSION_COOKIE_NAME } = await import('@/lib/session');
const { endSessionsOfKey, endSessionsOfRemovedKeys } = await import('@/lib/sessions/revoke');
const { forgetStoredSessionSecret, sessionSecret, SESSION_SECRET_NAME } = await import('@/lib/sessions/secret');
const { closeRedis } = await import('@/lib/redis/client');

async function signedIn(cookie: string, config: Config): Promise<boolean> {
  try {
    return (await resolveOwner(request('/', { cookie }), config)).via === 'session';
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_signed_in') return false;
    throw error;
  }
}

const sealedValue = (cookie: string) => decodeURIComponent(cookie.slice(`${SESSION_COOKIE_NAME}=`.length));

afterEach(() => {
  vi.useRealTimers();
  holder.config = undefined;
});

describe('the cookie', () => {
  it('holds only a random session id, and the table only its hash', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    const opened = await unsealData<Record<string, unknown>>(sealedValue(cookie), {
      password: await sessionSecret(config),
    });
    expect(Object.keys(opened)).toEqual(['sid']);
    expect(opened.sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db().select().from(sessions);
    expect(rows.some((row) => row.id === opened.sid)).toBe(false);
    expect(rows.map((row) => row.id)).toContain(createHash('sha256').update(String(opened.sid)).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(KEY_A);
  });

  it('cannot be opened, or minted, with any secret derived from API_KEYS (the old derivation)', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    const derivations = [[KEY_A, KEY_B], [KEY_B, KEY_A], [KEY_A], [KEY_B]].map((keys) =>
      createHmac('sha256', [...keys].sort().join(','))
        .update('iris-session-v1')
        .digest('hex'),
    );
    for (const password of derivations) {
      await expect(unsealData(sealedValue(cookie), { password })).resolves.toEqual({});
      // What a holder of every key could once mint: the old session shape, or a made-up session id.
      for (const forged of [
        { ownerId: 'k_someone', keyDigest: keyDigest(KEY_B).toString('hex'), signedInAt: Date.now() },
        { sid: 'A'.repeat(43) },
      ]) {
        const sealed = await sealData(forged, { password });
        expect(await signedIn(`${SESSION_COOKIE_NAME}=${sealed}`, config)).toBe(false);
      }
    }
  });
});

describe('ending sessions', () => {
  it('sign-out ends the session everywhere: the copied cookie is refused after', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    expect(await signedIn(cookie, config)).toBe(true);
    await clearSession(request('/', { cookie, method: 'POST' }), new Headers(), config);
    expect(await signedIn(cookie, config)).toBe(false);
  });

  it('a revoked key (endSessionsOfKey) ends all its sessions at once, and no other key’s', async () => {
    const config = keysConfig();
    const a1 = await cookieFor(KEY_A, config);
    const a2 = await cookieFor(KEY_A, config);
    const b = await cookieFor(KEY_B, config);
    expect(await endSessionsOfKey(keyDigest(KEY_A).toString('hex'))).toBeGreaterThanOrEqual(2);
    expect(await signedIn(a1, config)).toBe(false);
    expect(await signedIn(a2, config)).toBe(false);
    expect(await signedIn(b, config)).toBe(true);
  });

  it('a key removed from API_KEYS ends its sessions for good: putting the key back revives none', async () => {
    const before = keysConfig({ SESSION_SECRET: SECRET });
    const cookie = await cookieFor(KEY_A, before);
    const without = configWith({ API_KEYS: KEY_B, SESSION_SECRET: SECRET });
    expect(await signedIn(cookie, without)).toBe(false);
    expect(await signedIn(cookie, before)).toBe(false);
  });

  it('at start-up, the sessions of keys removed while no request came are ended', async () => {
    const before = keysConfig();
    const cookie = await cookieFor(KEY_A, before);
    const other = await cookieFor(KEY_B, before);
    expect(await endSessionsOfRemovedKeys(configWith({ API_KEYS: KEY_B }))).toBeGreaterThanOrEqual(1);
    expect(await signedIn(cookie, before)).toBe(false);
    expect(await signedIn(other, before)).toBe(true);
  });

  it('re-derives the owner from the key on every request: a record naming another owner opens nothing', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    await db().update(sessions).set({ ownerId: 'k_00000000000000000000000000000000' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1_100);
    expect(await signedIn(cookie, config)).toBe(false);
  });

  it('a record deleted by another instance stops the session within about a second (the in-process cache)', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_B, config);
    expect(await signedIn(cookie, config)).toBe(true);
    await db()
      .delete(sessions)
      .where(eq(sessions.keyDigest, keyDigest(KEY_B).toString('hex')));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1_001);
    expect(await signedIn(cookie, config)).toBe(false);
  });

  it('a session whose database row is gone is refused even though its cookie is intact and in date', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    await db().delete(sessions);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1_100);
    expect(await readSession(request('/', { cookie }), config)).toBeUndefined();
  });
});

describe('with REDIS_URL, the record cache is shared in Redis', () => {
  afterAll(async () => {
    await closeRedis();
  });

  it('ends a session on sign-out at once, and within a second of another instance deleting its record', async () => {
    const config = keysConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
    holder.config = config;
    const cookie = await cookieFor(KEY_A, config);
    expect(await signedIn(cookie, config)).toBe(true);
    await clearSession(request('/', { cookie, method: 'POST' }), new Headers(), config);
    expect(await signedIn(cookie, config)).toBe(false);

    const second = await cookieFor(KEY_A, config);
    expect(await signedIn(second, config)).toBe(true);
    await db()
      .delete(sessions)
      .where(eq(sessions.keyDigest, keyDigest(KEY_A).toString('hex')));
    // Redis expires its copy itself (PX), so this waits for real.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await signedIn(second, config)).toBe(false);
  });

  it('falls back to the database while Redis cannot be reached', { timeout: 20_000 }, async () => {
    await closeRedis();
    // Nothing listens on port 1.
    const config = keysConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
    holder.config = config;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cookie = await cookieFor(KEY_B, config);
    expect(await signedIn(cookie, config)).toBe(true);
    await clearSession(request('/', { cookie, method: 'POST' }), new Headers(), config);
    expect(await signedIn(cookie, config)).toBe(false);
    warn.mockRestore();
    await closeRedis();
  });
});

describe('the secret', () => {
  it('without SESSION_SECRET is 32 random bytes made once and kept in the database for every instance', async () => {
    const config = keysConfig();
    const first = await sessionSecret(config);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await db().select().from(serverSecrets).where(eq(serverSecrets.name, SESSION_SECRET_NAME));
    expect(row?.value).toBe(first);
    // Another instance (or this one restarted) reads the same one, so its cookies still open.
    const cookie = await cookieFor(KEY_A, config);
    forgetStoredSessionSecret();
    expect(await sessionSecret(config)).toBe(first);
    expect(await signedIn(cookie, config)).toBe(true);
    // It has nothing to do with the keys.
    for (const keys of [[KEY_A, KEY_B], [KEY_A], [KEY_B]]) {
      expect(first).not.toBe(
        createHmac('sha256', [...keys].sort().join(','))
          .update('iris-session-v1')
          .digest('hex'),
      );
    }
  });

  it('rotating it (a new SESSION_SECRET) signs everyone out', async () => {
    const cookie = await cookieFor(KEY_A, keysConfig());
    expect(await signedIn(cookie, keysConfig({ SESSION_SECRET: SECRET }))).toBe(false);
    const rotated = await cookieFor(KEY_A, keysConfig({ SESSION_SECRET: SECRET }));
    expect(await signedIn(rotated, keysConfig({ SESSION_SECRET: SECRET }))).toBe(true);
    expect(await signedIn(rotated, keysConfig())).toBe(false);
  });

  it('fails while the database cannot be reached, never making a secret up on the spot, and recovers after', async () => {
    forgetStoredSessionSecret();
    const saved = holder.db;
    holder.db = undefined;
    try {
      const error = await errorOf(sessionSecret(keysConfig()));
      expect(error).toBeInstanceOf(Error);
    } finally {
      holder.db = saved;
    }
    expect(await sessionSecret(keysConfig())).toMatch(/^[0-9a-f]{64}$/);
  });
});
