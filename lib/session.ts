import { createHmac } from 'node:crypto';
import { getIronSession, type SessionOptions, webCookies } from 'iron-session';
import { findKeyByDigest, keyDigest } from '@/lib/auth';
import type { Config } from '@/lib/config';

/**
 * The browser's session: an iron-session cookie (sealed and encrypted, no server-side store), read from the
 * Request's Cookie header and written to the Response's headers, so it works in any route handler and in tests
 * without Next's request context.
 */

export const SESSION_COOKIE_NAME = 'iris_session';

const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

/** What the cookie holds. Never the key itself: its digest is enough to check the key is still valid. */
export interface SessionData {
  ownerId: string;
  /** SHA-256 of the access key, hex. */
  keyDigest: string;
  /** Milliseconds since the epoch. */
  signedInAt: number;
}

/** The body of `GET /api/auth/session`. */
export interface SessionStatus {
  signedIn: boolean;
  /** 'open': development without API_KEYS, where the UI skips the sign-in screen. */
  mode: 'keys' | 'open';
  ownerId?: string;
}

/**
 * SESSION_SECRET when set. Otherwise derived from API_KEYS, so every instance of a deployment agrees without
 * more configuration; changing API_KEYS then changes it and signs everyone out, which is what a key rotation wants.
 * Sorted, so the order keys are listed in does not matter. Undefined when there are no keys to sign in with.
 */
export function sessionPassword(config: Pick<Config, 'auth' | 'sessionSecret'>): string | undefined {
  if (config.sessionSecret) return config.sessionSecret;
  const keys = config.auth.apiKeys;
  if (keys.length === 0) return undefined;
  return createHmac('sha256', [...keys].sort().join(','))
    .update('iris-session-v1')
    .digest('hex');
}

export function sessionOptions(
  config: Pick<Config, 'auth' | 'sessionSecret' | 'nodeEnv'>,
  request?: Request,
): SessionOptions | undefined {
  const password = sessionPassword(config);
  if (password === undefined) return undefined;
  return {
    cookieName: SESSION_COOKIE_NAME,
    password,
    // The seal expires after the TTL too, so a copied cookie stops working even if a client ignores Max-Age.
    // iron-session sets Max-Age a minute short of the TTL, so the cookie goes before its seal does.
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: {
      httpOnly: true,
      sameSite: 'lax',
      // Secure in production whenever the browser talks https (directly or through a proxy such as Vercel's).
      // A production server reached over plain http (a LAN box running `npm start`) gets a cookie the browser
      // keeps; a Secure one would be dropped and sign-in would silently fail. Development is plain http.
      secure: config.nodeEnv === 'production' && (request === undefined || isHttps(request)),
      path: '/',
    },
  };
}

/**
 * The request's session, if its cookie is intact, unexpired, and made with a key that is still in API_KEYS:
 * removing a key ends its sessions even when SESSION_SECRET keeps the seal readable.
 */
export async function readSession(request: Request, config: Config): Promise<SessionData | undefined> {
  const options = sessionOptions(config);
  if (options === undefined || config.auth.apiKeys.length === 0) return undefined;
  // Reading never writes, so the response side of the jar is a throwaway.
  const session = await getIronSession<SessionData>(webCookies(request, new Headers()), options);
  const { ownerId, keyDigest: digest, signedInAt } = session;
  if (typeof ownerId !== 'string' || typeof digest !== 'string' || typeof signedInAt !== 'number') return undefined;
  if (!/^[0-9a-f]{64}$/.test(digest)) return undefined;
  if (findKeyByDigest(Buffer.from(digest, 'hex'), config.auth.apiKeys) === undefined) return undefined;
  return { ownerId, keyDigest: digest, signedInAt };
}

/** Seals a session for `key` (already checked against API_KEYS) into a Set-Cookie on `responseHeaders`. */
export async function saveSession(
  request: Request,
  responseHeaders: Headers,
  config: Config,
  session: { key: string; ownerId: string },
): Promise<void> {
  const options = sessionOptions(config, request);
  if (options === undefined) throw new Error('saveSession: there is no session password without API_KEYS');
  const ironSession = await getIronSession<SessionData>(webCookies(request, responseHeaders), options);
  ironSession.ownerId = session.ownerId;
  ironSession.keyDigest = keyDigest(session.key).toString('hex');
  ironSession.signedInAt = Date.now();
  await ironSession.save();
}

/** Adds a Set-Cookie that expires the session cookie. */
export async function clearSession(request: Request, responseHeaders: Headers, config: Config): Promise<void> {
  const options = sessionOptions(config, request);
  // Without a password no cookie can be valid, so there is nothing that needs clearing.
  if (options === undefined) return;
  const ironSession = await getIronSession<SessionData>(webCookies(request, responseHeaders), options);
  ironSession.destroy();
}

function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return new URL(request.url).protocol === 'https:';
}

/** Whether the request carries a session cookie at all, valid or not. */
export function hasSessionCookie(request: Request): boolean {
  const header = request.headers.get('cookie');
  if (!header) return false;
  return header.split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE_NAME}=`));
}
