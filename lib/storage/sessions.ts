import { eq, lt, notInArray, or } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { sessions } from '@/lib/db/schema';

/**
 * Session records. Callers pass the hashed session id (never the one in the cookie) and the key's digest (never
 * the key). Expiry is decided by the caller from the dates; the clean-up only removes what can no longer be used.
 */

export interface SessionRecord {
  /** SHA-256 (hex) of the session id in the cookie. */
  id: string;
  ownerId: string;
  keyDigest: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export async function insertSession(
  db: Db,
  record: { id: string; ownerId: string; keyDigest: string; now: Date },
): Promise<SessionRecord> {
  const [row] = await db
    .insert(sessions)
    .values({
      id: record.id,
      ownerId: record.ownerId,
      keyDigest: record.keyDigest,
      createdAt: record.now,
      lastSeenAt: record.now,
    })
    .returning();
  if (!row) throw new Error('insertSession: no row returned');
  return row;
}

export async function findSession(db: Db, id: string): Promise<SessionRecord | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row;
}

/** Moves the idle clock on; a session deleted meanwhile stays deleted. */
export async function touchSession(db: Db, id: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session opened with one key; the ids deleted, so caches can forget them. */
export async function deleteSessionsOfKey(db: Db, keyDigest: string): Promise<string[]> {
  const deleted = await db.delete(sessions).where(eq(sessions.keyDigest, keyDigest)).returning({ id: sessions.id });
  return deleted.map((row) => row.id);
}

/** Ends every session whose key is not among `keyDigests` (keys removed while no request came); the ids deleted. */
export async function deleteSessionsOfOtherKeys(db: Db, keyDigests: readonly string[]): Promise<string[]> {
  const where = keyDigests.length === 0 ? undefined : notInArray(sessions.keyDigest, [...keyDigests]);
  const deleted = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return deleted.map((row) => row.id);
}

/** Removes sessions past either limit. */
export async function deleteExpiredSessions(db: Db, limits: { idleSince: Date; createdBefore: Date }): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.lastSeenAt, limits.idleSince), lt(sessions.createdAt, limits.createdBefore)))
    .returning({ id: sessions.id });
  return deleted.length;
}
