import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, startFakeGemini } from '../fake-gemini/server.ts';
import { type IrisProcess, startIris } from '../support/server-process.ts';

/**
 * Sessions, the session secret, failed-authentication throttling and page headers, over HTTP against the build.
 * Two instances share one Postgres database (and Redis), as a deployment's instances do: the secret one of them
 * made opens the other's cookies, and the second starts with a key removed.
 */

const KEY_A = 'security-gateway-key-alpha-7c1e';
const KEY_B = 'security-gateway-key-bravo-93ad';
const SERVER_KEY = 'security-gemini-key';
const ADMIN_URL = process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

let fake: FakeGemini;
let first: IrisProcess;
let databaseName: string;
let databaseUrl: string;

const env = (keys: string) => ({
  API_KEYS: keys,
  GOOGLE_GENERATIVE_AI_API_KEY: SERVER_KEY,
  GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
  DATABASE_URL: databaseUrl,
  REDIS_URL: 'redis://127.0.0.1:6379',
  // The test stands for clients behind one proxy: X-Forwarded-For says who each one is.
  TRUST_PROXY: 'true',
});

beforeAll(async () => {
  fake = await startFakeGemini({ apiKeys: [SERVER_KEY] });
  databaseName = `iris_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${databaseName}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.href;
  first = await startIris(env(`${KEY_A},${KEY_B}`));
  await first.ready(60_000);
}, 90_000);

afterAll(async () => {
  await first?.stop();
  await fake?.close();
  if (databaseName) {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  }
});

/**
 * A client address of its own for each use, new in every run: the throttle's counts live in Redis for an hour,
 * so neither tests nor runs may share one.
 */
const RUN = randomBytes(2);
let nextAddress = 0;
const address = () => `10.${RUN[0]}.${RUN[1]}.${++nextAddress}`;

async function signIn(iris: IrisProcess, key: string, from = address()): Promise<Response> {
  return fetch(`${iris.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { origin: iris.url, 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ key }),
  });
}

async function cookieFrom(iris: IrisProcess, key: string): Promise<string> {
  const response = await signIn(iris, key);
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('iris_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

const chats = (iris: IrisProcess, cookie: string) => fetch(`${iris.url}/api/chats`, { headers: { cookie } });

describe('sessions', () => {
  it('sign-out ends the session everywhere: a copied cookie reads no chats after', async () => {
    const cookie = await cookieFrom(first, KEY_A);
    expect((await chats(first, cookie)).status).toBe(200);
    const out = await fetch(`${first.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { origin: first.url, cookie },
    });
    expect(out.status).toBe(200);
    const after = await chats(first, cookie);
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe('not_signed_in');
  });

  it('a second instance opens the first one’s cookies (the secret is shared), and its removed key ends sessions', async () => {
    const cookieA = await cookieFrom(first, KEY_A);
    const cookieB = await cookieFrom(first, KEY_B);
    // The same deployment, now without KEY_A.
    const second = await startIris(env(KEY_B));
    try {
      await second.ready(60_000);
      expect((await chats(second, cookieB)).status).toBe(200);
      expect((await chats(second, cookieA)).status).toBe(401);
      // Ended in the database, so the instance that still has KEY_A refuses it too (after its 1 s cache).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await chats(first, cookieA)).status).toBe(401);
      expect((await chats(first, cookieB)).status).toBe(200);
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('failed authentication is throttled per address', () => {
  it('40 wrong keys meet 429s with Retry-After, while a right key from another address still works', async () => {
    const attacker = address();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${first.url}/v1/models`, {
        headers: { authorization: `Bearer wrong-key-${i}`, 'x-forwarded-for': attacker },
      });
      statuses.push(response.status);
      const body = await response.json();
      if (response.status === 429) {
        expect(body.error).toMatchObject({ code: 'too_many_failed_attempts', type: 'rate_limit_error' });
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        // API responses keep their CORS.
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
      }
      if (i % 10 === 5) {
        const right = await fetch(`${first.url}/v1/models`, {
          headers: { authorization: `Bearer ${KEY_B}`, 'x-forwarded-for': address() },
        });
        expect(right.status).toBe(200);
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // While the address is blocked even a right key from it is not looked at: that is what stops guessing.
    const fromAttacker = await fetch(`${first.url}/v1/models`, {
      headers: { authorization: `Bearer ${KEY_B}`, 'x-forwarded-for': attacker },
    });
    expect(fromAttacker.status).toBe(429);
  });

  it('a right key is never slowed by its own traffic: 50 parallel calls from one address all answer', async () => {
    const from = address();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${first.url}/v1/models`, {
          headers: { authorization: `Bearer ${KEY_A}`, 'x-forwarded-for': from },
        }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(50).fill(200));
  });

  it('wrong Bearer keys on the chat’s /api routes count too', async () => {
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const response = await fetch(`${first.url}/api/chats`, {
        headers: { authorization: `Bearer wrong-${i}`, 'x-forwarded-for': from },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });

  it('sign-in is throttled too, and another address still signs in', async () => {
    const from = address();
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => signIn(first, `not-the-key-${i}`, from).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(11);
    const blocked = await signIn(first, `not-the-key-again`, from);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await blocked.json()).error.code).toBe('too_many_failed_attempts');
    expect((await signIn(first, KEY_A, address())).status).toBe(200);
  });
});

describe('page headers', () => {
  const pages = ['/', '/connect', '/c/some-chat-id'];

  it.each(pages)('%s carries a nonce CSP, frame-ancestors none and the other security headers', async (page) => {
    const cookie = await cookieFrom(first, KEY_A);
    const [one, two] = await Promise.all([
      fetch(`${first.url}${page}`, { headers: { cookie } }),
      fetch(`${first.url}${page}`, { headers: { cookie } }),
    ]);
    for (const response of [one, two]) {
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
      expect(response.headers.get('permissions-policy')).toContain('microphone=()');
      // Every script in the page carries this response's nonce.
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    // A new nonce for every page.
    const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonceOf(one)).not.toBe(nonceOf(two));
  });

  it('the sign-in screen has them too, and API responses keep their CORS without a page CSP', async () => {
    const signInPage = await fetch(`${first.url}/`);
    expect(signInPage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const api = await fetch(`${first.url}/v1/models`, {
      headers: { authorization: `Bearer ${KEY_A}`, origin: 'https://client.example', 'x-forwarded-for': address() },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
    expect(api.headers.get('content-security-policy')).toBeNull();
  });
});
