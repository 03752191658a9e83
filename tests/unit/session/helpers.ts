import { afterAll, beforeAll } from 'vitest';
import { type Config, type Env, parseConfig } from '@/lib/config';
import type { Db, OpenedDatabase } from '@/lib/db/client';
import { backends } from '@/tests/support/databases';

export const KEY_A = 'sk-iris-test-alpha-5f0c9d2b7e41a8c3';
export const KEY_B = 'sk-iris-test-bravo-19e7b04d6a2c5f83';
export const SECRET = 'a-session-secret-of-at-least-32-characters';
export const ORIGIN = 'http://iris.test';

export function configWith(env: Env = {}): Config {
  return parseConfig({ IRIS_QUIET_LOGS: 'true', ...env });
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  cookie?: string;
  headers?: Record<string, string>;
  /** Leave out the headers a browser on Iris's own page would send. */
  bare?: boolean;
}

/** A request as Iris's own page in a browser sends it, unless `bare`. */
export function request(path: string, options: RequestOptions = {}): Request {
  const headers: Record<string, string> = options.bare
    ? { host: 'iris.test' }
    : { host: 'iris.test', origin: ORIGIN, 'sec-fetch-site': 'same-origin' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  return new Request(`${ORIGIN}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { ...headers, ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** The `name=value` pair of the response's session cookie, for sending back in a Cookie header. */
export function sessionCookie(response: Response): string | undefined {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('iris_session='));
  return setCookie?.split(';')[0];
}

export function setCookieAttributes(response: Response): string[] {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('iris_session='));
  return (setCookie ?? '')
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Where a test file's mock of getDb() finds the file's database (set in beforeAll, read per call). */
export interface DbHolder {
  db?: Db;
}

/** A fresh in-memory PGlite (migrated) for the whole test file, put in `holder` before its tests. */
export function openFileDatabase(holder: DbHolder): void {
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    const pglite = backends.find((backend) => backend.name === 'pglite');
    if (!pglite) throw new Error('no PGlite backend');
    opened = await (await pglite.create({ start: 'migrated', inMemory: true })).open();
    holder.db = opened.db;
  }, 30_000);
  afterAll(async () => {
    holder.db = undefined;
    await opened?.close();
  });
}

/** Both test keys as API_KEYS, plus `env`. */
export const keysConfig = (env: Env = {}) => configWith({ API_KEYS: `${KEY_A},${KEY_B}`, ...env });

/** The session cookie a sign-in with `key` would set under `config` (imported late: the test mocks come first). */
export async function cookieFor(key: string, config: Config): Promise<string> {
  const { saveSession } = await import('@/lib/session');
  const headers = new Headers();
  await saveSession(request('/'), headers, config, { key });
  const cookie = sessionCookie(new Response(null, { headers }));
  if (!cookie) throw new Error('no cookie');
  return cookie;
}
