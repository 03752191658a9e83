import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '@/lib/config';
import {
  configWith,
  type DbHolder,
  KEY_A,
  KEY_B,
  openFileDatabase,
  request,
  SECRET,
  sessionCookie,
  setCookieAttributes,
} from './helpers';

// The routes read their configuration through getConfig(); each test sets the one it needs.
const state = vi.hoisted(() => ({ config: undefined as Config | undefined }));
vi.mock('@/lib/config', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/config')>();
  return {
    ...actual,
    getConfig: () => {
      if (!state.config) throw new Error('test did not set a config');
      return state.config;
    },
  };
});

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

const { POST: signIn, GET: signInGet } = await import('@/app/api/auth/sign-in/route');
const { POST: signOut } = await import('@/app/api/auth/sign-out/route');
const { GET: sessionStatus } = await import('@/app/api/auth/session/route');
const { ownerIdForKey } = await import('@/lib/owner');

function useConfig(env: Record<string, string> = {}): Config {
  state.config = configWith({ API_KEYS: `${KEY_A},${KEY_B}`, ...env });
  return state.config;
}

async function signedInCookie(key: string): Promise<string> {
  const response = await signIn(request('/api/auth/sign-in', { body: { key } }));
  expect(response.status).toBe(200);
  const cookie = sessionCookie(response);
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

beforeEach(() => {
  useConfig();
});

describe('POST /api/auth/sign-in', () => {
  it('sets an httpOnly, SameSite=Lax session cookie for a good key', async () => {
    const response = await signIn(request('/api/auth/sign-in', { body: { key: KEY_A } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ signedIn: true });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const attributes = setCookieAttributes(response);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    // Thirty days, less the minute iron-session keeps between the cookie's end and its seal's.
    expect(attributes).toContain(`max-age=${30 * 24 * 3600 - 60}`);
    expect(attributes).not.toContain('secure');
    const cookie = sessionCookie(response) ?? '';
    expect(cookie).not.toContain(KEY_A);
  });

  it('marks the cookie Secure in production over https (directly or behind a proxy)', async () => {
    useConfig({ NODE_ENV: 'production' });
    const response = await signIn(
      request('/api/auth/sign-in', { body: { key: KEY_A }, headers: { 'x-forwarded-proto': 'https' } }),
    );
    expect(response.status).toBe(200);
    expect(setCookieAttributes(response)).toContain('secure');
  });

  it('leaves Secure off when a production server is reached over plain http, so the browser keeps the cookie', async () => {
    useConfig({ NODE_ENV: 'production' });
    const response = await signIn(
      request('/api/auth/sign-in', { body: { key: KEY_A }, headers: { 'x-forwarded-proto': 'http' } }),
    );
    expect(response.status).toBe(200);
    expect(setCookieAttributes(response)).not.toContain('secure');
  });

  it('accepts a key pasted with surrounding whitespace', async () => {
    const response = await signIn(request('/api/auth/sign-in', { body: { key: ` ${KEY_B}\n` } }));
    expect(response.status).toBe(200);
  });

  it('refuses a wrong key with a 401, no cookie, no echo, after the same delay every time', async () => {
    const wrong = `${KEY_A}x`;
    const started = performance.now();
    const response = await signIn(request('/api/auth/sign-in', { body: { key: wrong } }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    const text = await response.text();
    expect(text).not.toContain(wrong);
    expect(JSON.parse(text).error).toMatchObject({ code: 'invalid_api_key', param: 'key' });
  });

  it('refuses a body without a string key with a 400 that does not quote it', async () => {
    const response = await signIn(request('/api/auth/sign-in', { body: { key: 12345678987654 } }));
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('12345678987654');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a sign-in from another site with a 403 before looking at the key', async () => {
    const response = await signIn(
      request('/api/auth/sign-in', {
        body: { key: KEY_A },
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      }),
    );
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('cross_origin_request');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('says there is nothing to sign in to in open development mode', async () => {
    state.config = configWith({});
    const response = await signIn(request('/api/auth/sign-in', { body: { key: 'anything' } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('sign_in_not_needed');
  });

  it('refuses everyone in production without API_KEYS, as the API does', async () => {
    state.config = configWith({ NODE_ENV: 'production' });
    const response = await signIn(request('/api/auth/sign-in', { body: { key: 'anything' } }));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('gateway_keys_not_configured');
  });

  it('answers other methods with a 405 envelope', async () => {
    const response = await signInGet(request('/api/auth/sign-in'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('GET /api/auth/session', () => {
  it('reports signed out without a cookie', async () => {
    const response = await sessionStatus(request('/api/auth/session'));
    expect(await response.json()).toEqual({ signedIn: false, mode: 'keys' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it("reports the signed-in key's owner", async () => {
    const cookie = await signedInCookie(KEY_A);
    const response = await sessionStatus(request('/api/auth/session', { cookie }));
    expect(await response.json()).toEqual({ signedIn: true, mode: 'keys', ownerId: ownerIdForKey(KEY_A) });
  });

  it('gives two keys two owners', async () => {
    const a = await (await sessionStatus(request('/api/auth/session', { cookie: await signedInCookie(KEY_A) }))).json();
    const b = await (await sessionStatus(request('/api/auth/session', { cookie: await signedInCookie(KEY_B) }))).json();
    expect(a.ownerId).not.toBe(b.ownerId);
  });

  it('reports open mode in development without API_KEYS, so the UI can skip sign-in', async () => {
    state.config = configWith({});
    const response = await sessionStatus(request('/api/auth/session'));
    expect(await response.json()).toEqual({ signedIn: true, mode: 'open', ownerId: 'local' });
  });

  it('reports signed out, and expires the cookie, once its key is removed from API_KEYS', async () => {
    useConfig({ SESSION_SECRET: SECRET });
    const cookie = await signedInCookie(KEY_A);
    state.config = configWith({ API_KEYS: KEY_B, SESSION_SECRET: SECRET });
    const response = await sessionStatus(request('/api/auth/session', { cookie }));
    expect(await response.json()).toEqual({ signedIn: false, mode: 'keys' });
    expect(setCookieAttributes(response)).toContain('max-age=0');
  });
});

describe('POST /api/auth/sign-out', () => {
  it('expires the cookie, after which the session is gone', async () => {
    const cookie = await signedInCookie(KEY_A);
    const response = await signOut(request('/api/auth/sign-out', { method: 'POST', cookie }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ signedIn: false });
    expect(sessionCookie(response)).toBe('iris_session=');
    expect(setCookieAttributes(response)).toEqual(expect.arrayContaining(['max-age=0', 'path=/', 'httponly']));
    const after = await sessionStatus(request('/api/auth/session', { cookie: 'iris_session=' }));
    expect((await after.json()).signedIn).toBe(false);
  });

  it('ends the session everywhere: a copy of the cookie taken before sign-out opens nothing after', async () => {
    const cookie = await signedInCookie(KEY_A);
    // Another of the same key's sessions (another browser), opened before the sign-out.
    const other = await signedInCookie(KEY_A);
    const copy = cookie;
    expect((await (await sessionStatus(request('/api/auth/session', { cookie: copy }))).json()).signedIn).toBe(true);
    const response = await signOut(request('/api/auth/sign-out', { method: 'POST', cookie }));
    expect(response.status).toBe(200);
    const after = await sessionStatus(request('/api/auth/session', { cookie: copy }));
    expect(await after.json()).toEqual({ signedIn: false, mode: 'keys' });
    // The browser that kept the copy is told to drop it.
    expect(setCookieAttributes(after)).toContain('max-age=0');
    // The other session is not touched.
    expect((await (await sessionStatus(request('/api/auth/session', { cookie: other }))).json()).signedIn).toBe(true);
  });

  it('signing in again ends the session the browser had before', async () => {
    const first = await signedInCookie(KEY_A);
    const again = await signIn(request('/api/auth/sign-in', { body: { key: KEY_B }, cookie: first }));
    expect(again.status).toBe(200);
    const status = await sessionStatus(request('/api/auth/session', { cookie: first }));
    expect((await status.json()).signedIn).toBe(false);
  });

  it('refuses a sign-out started by another site', async () => {
    const cookie = await signedInCookie(KEY_A);
    const response = await signOut(
      request('/api/auth/sign-out', {
        method: 'POST',
        cookie,
        headers: { origin: 'https://evil.example' },
        bare: true,
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
