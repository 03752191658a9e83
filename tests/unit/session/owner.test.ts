import { afterEach, describe, expect, it, vi } from 'vitest';
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

// Sessions are records in the database: this file's is an in-memory PGlite.
const holder = vi.hoisted((): DbHolder => ({}));
vi.mock('@/lib/db/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db/client')>()),
  getDb: async () => {
    if (!holder.db) throw new Error('the test database is not open');
    return holder.db;
  },
}));
openFileDatabase(holder);

const { isOpenMode, ownerIdForKey, resolveOwner } = await import('@/lib/owner');

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await errorOf(promise);
  if (!(error instanceof ApiError)) throw error;
  return error;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ownerIdForKey', () => {
  it('gives each key its own stable owner that does not contain the key', () => {
    const a = ownerIdForKey(KEY_A);
    expect(a).toMatch(/^k_[0-9a-f]{32}$/);
    expect(ownerIdForKey(KEY_A)).toBe(a);
    expect(ownerIdForKey(KEY_B)).not.toBe(a);
    for (const part of KEY_A.split('-')) expect(a).not.toContain(part);
  });
});

describe('isOpenMode', () => {
  it('is open only without API_KEYS outside production', () => {
    expect(isOpenMode(configWith({}))).toBe(true);
    expect(isOpenMode(configWith({ NODE_ENV: 'test' }))).toBe(true);
    expect(isOpenMode(configWith({ NODE_ENV: 'production' }))).toBe(false);
    expect(isOpenMode(keysConfig())).toBe(false);
  });
});

describe('resolveOwner', () => {
  it('takes a gateway key sent as a Bearer token', async () => {
    const owner = await resolveOwner(request('/', { headers: { authorization: `Bearer ${KEY_B}` } }), keysConfig());
    expect(owner).toEqual({ ownerId: ownerIdForKey(KEY_B), via: 'bearer' });
  });

  it('refuses a wrong Bearer key even beside a good cookie', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    const error = await apiError(
      resolveOwner(request('/', { cookie, headers: { authorization: 'Bearer not-a-key' } }), config),
    );
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
  });

  it('takes the session cookie', async () => {
    const config = keysConfig();
    const owner = await resolveOwner(request('/', { cookie: await cookieFor(KEY_A, config) }), config);
    expect(owner).toEqual({ ownerId: ownerIdForKey(KEY_A), via: 'session' });
  });

  it('gives two keys two owners through cookies too', async () => {
    const config = keysConfig();
    const a = await resolveOwner(request('/', { cookie: await cookieFor(KEY_A, config) }), config);
    const b = await resolveOwner(request('/', { cookie: await cookieFor(KEY_B, config) }), config);
    expect(a.ownerId).not.toBe(b.ownerId);
  });

  it('is the local owner in open development mode, whatever is sent', async () => {
    const config = configWith({});
    expect(await resolveOwner(request('/'), config)).toEqual({ ownerId: 'local', via: 'open' });
    expect(await resolveOwner(request('/', { headers: { authorization: 'Bearer x' } }), config)).toEqual({
      ownerId: 'local',
      via: 'open',
    });
  });

  it('is a 401 not_signed_in with neither key nor cookie', async () => {
    const error = await apiError(resolveOwner(request('/'), keysConfig()));
    expect(error.status).toBe(401);
    expect(error.code).toBe('not_signed_in');
    expect(error.message).toBe('Sign in with an access key, or send it as a Bearer token.');
  });

  it('refuses everyone in production without API_KEYS, as the API does', async () => {
    const error = await apiError(resolveOwner(request('/'), configWith({ NODE_ENV: 'production' })));
    expect(error.status).toBe(401);
    expect(error.code).toBe('gateway_keys_not_configured');
  });

  it('refuses a tampered cookie', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    const at = cookie.length - 10;
    const flipped = cookie[at] === 'A' ? 'B' : 'A';
    const tampered = `${cookie.slice(0, at)}${flipped}${cookie.slice(at + 1)}`;
    expect((await apiError(resolveOwner(request('/', { cookie: tampered }), config))).code).toBe('not_signed_in');
    expect((await apiError(resolveOwner(request('/', { cookie: 'iris_session=junk' }), config))).code).toBe(
      'not_signed_in',
    );
  });

  it('refuses the cookie of a key since removed from API_KEYS, even when SESSION_SECRET keeps it readable', async () => {
    const before = keysConfig({ SESSION_SECRET: SECRET });
    const cookie = await cookieFor(KEY_A, before);
    const after = configWith({ API_KEYS: KEY_B, SESSION_SECRET: SECRET });
    expect((await apiError(resolveOwner(request('/', { cookie }), after))).code).toBe('not_signed_in');
    // The other key's sessions carry on.
    const other = await cookieFor(KEY_B, before);
    expect((await resolveOwner(request('/', { cookie: other }), after)).ownerId).toBe(ownerIdForKey(KEY_B));
  });

  it('keeps the sessions of the keys that stay when API_KEYS changes: the secret is not derived from the keys', async () => {
    const cookie = await cookieFor(KEY_B, keysConfig());
    const after = configWith({ API_KEYS: `${KEY_B},sk-iris-test-new-key` });
    expect((await resolveOwner(request('/', { cookie }), after)).ownerId).toBe(ownerIdForKey(KEY_B));
  });

  it('keeps sessions when API_KEYS is only reordered', async () => {
    const cookie = await cookieFor(KEY_A, keysConfig());
    const reordered = configWith({ API_KEYS: `${KEY_B}, ${KEY_A}` });
    expect((await resolveOwner(request('/', { cookie }), reordered)).via).toBe('session');
  });

  it('ends a session used every few days at its thirty days (SESSION_MAX_DAYS)', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const day of [6, 12, 18, 24, 29]) {
      vi.setSystemTime(start + day * 24 * 3600 * 1000);
      expect((await resolveOwner(request('/', { cookie }), config)).via).toBe('session');
    }
    vi.setSystemTime(start + 30 * 24 * 3600 * 1000 + 1000);
    expect((await apiError(resolveOwner(request('/', { cookie }), config))).code).toBe('not_signed_in');
  });

  it('ends a session left unused for SESSION_IDLE_DAYS (default 7)', async () => {
    const config = keysConfig();
    const cookie = await cookieFor(KEY_A, config);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start + 6.9 * 24 * 3600 * 1000);
    expect((await resolveOwner(request('/', { cookie }), config)).via).toBe('session');
    vi.setSystemTime(start + (6.9 + 7) * 24 * 3600 * 1000);
    expect((await apiError(resolveOwner(request('/', { cookie }), config))).code).toBe('not_signed_in');
    // Ended for good, not only refused for now.
    vi.useRealTimers();
    expect((await apiError(resolveOwner(request('/', { cookie }), config))).code).toBe('not_signed_in');
  });

  it('honours shorter limits set by the operator', async () => {
    const config = keysConfig({ SESSION_IDLE_DAYS: '1', SESSION_MAX_DAYS: '2' });
    const cookie = await cookieFor(KEY_A, config);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start + 0.9 * 24 * 3600 * 1000);
    expect((await resolveOwner(request('/', { cookie }), config)).via).toBe('session');
    vi.setSystemTime(start + 1.8 * 24 * 3600 * 1000);
    expect((await resolveOwner(request('/', { cookie }), config)).via).toBe('session');
    vi.setSystemTime(start + 2.01 * 24 * 3600 * 1000);
    expect((await apiError(resolveOwner(request('/', { cookie }), config))).code).toBe('not_signed_in');
  });

  describe('for a change (mutating)', () => {
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

    it('lets a cookie through from Iris itself and refuses it from another site', async () => {
      const config = keysConfig();
      const cookie = await cookieFor(KEY_A, config);
      expect((await resolveOwner(request('/', { cookie, method: 'POST' }), config, { mutating: true })).via).toBe(
        'session',
      );
      const error = await apiError(
        resolveOwner(request('/', { cookie, method: 'POST', headers: crossSite }), config, { mutating: true }),
      );
      expect(error.status).toBe(403);
      expect(error.code).toBe('cross_origin_request');
    });

    it('exempts a Bearer key, which no other site can send for the user', async () => {
      const owner = await resolveOwner(
        request('/', { method: 'POST', headers: { ...crossSite, authorization: `Bearer ${KEY_A}` } }),
        keysConfig(),
        { mutating: true },
      );
      expect(owner.via).toBe('bearer');
    });

    it('in open mode, refuses what the browser says came from another site and lets curl through', async () => {
      const config = configWith({});
      const error = await apiError(
        resolveOwner(request('/', { method: 'POST', headers: crossSite }), config, { mutating: true }),
      );
      expect(error.code).toBe('cross_origin_request');
      expect((await resolveOwner(request('/', { method: 'POST', bare: true }), config, { mutating: true })).via).toBe(
        'open',
      );
    });

    it('in open mode, refuses cross-site reads too: another site must not read the local history', async () => {
      const error = await apiError(resolveOwner(request('/', { headers: crossSite }), configWith({})));
      expect(error.code).toBe('cross_origin_request');
    });
  });
});
