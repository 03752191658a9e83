import { createHash, randomBytes } from 'node:crypto';
import { getIronSession, type SessionOptions, unsealData, webCookies } from 'iron-session';
import { findKeyByDigest, keyDigest, ownerIdForKey } from '@/lib/auth';
import type { Config } from '@/lib/config';
import { getDb } from '@/lib/db/client';
import { cachedSession, cacheSession } from '@/lib/sessions/record-cache';
import { endSession, endSessionsOfKey } from '@/lib/sessions/revoke';
import { sessionSecret } from '@/lib/sessions/secret';
import {
  deleteExpiredSessions,
  findSession,
  insertSession,
  type SessionRecord,
  touchSession,
} from '@/lib/storage/sessions';

/**
 * The browser's session: a server-side record (lib/storage/sessions.ts) whose random id travels in an
 * iron-session cookie (sealed and encrypted), read from the Request's Cookie header and written to the
 * Response's headers, so it works in any route handler and in tests without Next's request context.
 *
 * Every request re-derives the owner from the key the session was opened with, so a session ends when its
 * record is deleted (sign-out, revocation), when its key leaves API_KEYS, or when it passes SESSION_IDLE_DAYS
 * or SESSION_MAX_DAYS.
 */

export const SESSION_COOKIE_NAME = 'iris_session';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The idle clock is moved on at most this often, so a busy session writes once a minute, not per request. */
const TOUCH_EVERY_MS = 60_000;
const CLEAN_UP_EVERY_MS = 10 * 60_000;
let lastCleanUp = 0;

/** What the cookie holds: only the session's id (random, 256 bits). */
interface SealedSession {
  sid?: unknown;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** What a live session says about itself. */
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

/** Undefined when there are no keys to sign in with. */
export async function sessionOptions(config: Config, request?: Request): Promise<SessionOptions | undefined> {
  if (config.auth.apiKeys.length === 0) return undefined;
  return {
    cookieName: SESSION_COOKIE_NAME,
    password: await sessionSecret(config),
    // The seal expires with the session's absolute limit too, so a copied cookie is dead weight afterwards
    // even before the record is cleaned up. iron-session sets Max-Age a minute short of the TTL.
    ttl: config.sessions.maxDays * 24 * 60 * 60,
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

/** The request's live session, if its cookie opens, its record exists and is in date, and its key is still valid. */
export async function readSession(request: Request, config: Config): Promise<SessionData | undefined> {
  const id = await sessionIdOf(request, config);
  if (id === undefined) return undefined;
  const record = await loadRecord(id);
  if (!record) return undefined;

  const now = Date.now();
  if (expired(record, config, now)) {
    await endSession(id);
    return undefined;
  }
  const key = /^[0-9a-f]{64}$/.test(record.keyDigest)
    ? findKeyByDigest(Buffer.from(record.keyDigest, 'hex'), config.auth.apiKeys)
    : undefined;
  // The key left API_KEYS: that is its revocation, for every session it opened.
  if (key === undefined) {
    await endSessionsOfKey(record.keyDigest);
    return undefined;
  }
  const ownerId = ownerIdForKey(key);
  // The owner always follows from the key; a record that says otherwise was not written by Iris.
  if (ownerId !== record.ownerId) {
    await endSession(id);
    return undefined;
  }

  if (now - record.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const seen = new Date(now);
    await touchSession(await getDb(), id, seen);
    await cacheSession({ ...record, lastSeenAt: seen });
  }
  return { ownerId, keyDigest: record.keyDigest, signedInAt: record.createdAt.getTime() };
}

/** Opens a session for `key` (already checked against API_KEYS) and seals its id into a Set-Cookie on `responseHeaders`. */
export async function saveSession(
  request: Request,
  responseHeaders: Headers,
  config: Config,
  session: { key: string },
): Promise<void> {
  const options = await sessionOptions(config, request);
  if (options === undefined) throw new Error('saveSession: there are no sessions without API_KEYS');
  // A browser signing in again leaves its earlier session behind for good.
  const earlier = await sessionIdOf(request, config);
  if (earlier !== undefined) await endSession(earlier);

  const sid = randomBytes(32).toString('base64url');
  const db = await getDb();
  const record = await insertSession(db, {
    id: hashId(sid),
    ownerId: ownerIdForKey(session.key),
    keyDigest: keyDigest(session.key).toString('hex'),
    now: new Date(),
  });
  await cacheSession(record);
  const ironSession = await getIronSession<SealedSession>(webCookies(request, responseHeaders), options);
  ironSession.sid = sid;
  await ironSession.save();
  await cleanUpNowAndThen(config);
}

/** Ends the request's session everywhere (if it has one) and adds a Set-Cookie that expires the cookie. */
export async function clearSession(request: Request, responseHeaders: Headers, config: Config): Promise<void> {
  const options = await sessionOptions(config, request);
  // Without keys no cookie can be valid, so there is nothing that needs ending or clearing.
  if (options === undefined) return;
  const id = await sessionIdOf(request, config);
  if (id !== undefined) await endSession(id);
  const ironSession = await getIronSession<SealedSession>(webCookies(request, responseHeaders), options);
  ironSession.destroy();
}

/** Whether the request carries a session cookie at all, valid or not. */
export function hasSessionCookie(request: Request): boolean {
  return cookieValue(request) !== undefined;
}

/** The hash of the session id the request's cookie carries, if the cookie opens with this server's secret. */
async function sessionIdOf(request: Request, config: Config): Promise<string | undefined> {
  if (config.auth.apiKeys.length === 0) return undefined;
  const sealed = cookieValue(request);
  if (!sealed) return undefined;
  const opened = await unsealData<SealedSession>(sealed, {
    password: await sessionSecret(config),
    ttl: config.sessions.maxDays * 24 * 60 * 60,
  }).catch(() => ({}) as SealedSession);
  return typeof opened.sid === 'string' && SESSION_ID.test(opened.sid) ? hashId(opened.sid) : undefined;
}

async function loadRecord(id: string): Promise<SessionRecord | undefined> {
  const cached = await cachedSession(id);
  if (cached) return cached;
  const record = await findSession(await getDb(), id);
  if (record) await cacheSession(record);
  return record;
}

function expired(record: SessionRecord, config: Config, now: number): boolean {
  return (
    now - record.lastSeenAt.getTime() >= config.sessions.idleDays * DAY_MS ||
    now - record.createdAt.getTime() >= config.sessions.maxDays * DAY_MS
  );
}

/** The table holds ids hashed, so reading it opens no session. */
function hashId(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

async function cleanUpNowAndThen(config: Config): Promise<void> {
  const now = Date.now();
  if (now - lastCleanUp < CLEAN_UP_EVERY_MS) return;
  lastCleanUp = now;
  await deleteExpiredSessions(await getDb(), {
    idleSince: new Date(now - config.sessions.idleDays * DAY_MS),
    createdBefore: new Date(now - config.sessions.maxDays * DAY_MS),
  });
}

function cookieValue(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const trimmed = pair.trim();
    if (trimmed.startsWith(`${SESSION_COOKIE_NAME}=`)) {
      const value = trimmed.slice(SESSION_COOKIE_NAME.length + 1);
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return new URL(request.url).protocol === 'https:';
}
