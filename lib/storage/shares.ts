import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { shares } from '@/lib/db/schema';
import type { ShareSnapshot } from '@/lib/storage/types';

export interface StoredShare {
  id: string;
  ownerId: string;
  chatId: string;
  snapshot: ShareSnapshot;
  fileIds: string[];
  createdAt: Date;
}

/** 128 random bits: the link is the only credential, so it must not be guessable or enumerable. */
const newShareId = () => randomBytes(16).toString('base64url');
const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * Shares the chat, or refreshes its share: the link stays the same and shows the new snapshot. The caller has
 * checked that the chat is the owner's (the foreign key would refuse another owner's anyway).
 */
export async function putShare(
  db: Db,
  ownerId: string,
  chatId: string,
  content: { snapshot: ShareSnapshot; fileIds: string[] },
): Promise<StoredShare> {
  const [row] = await db
    .insert(shares)
    .values({ id: newShareId(), ownerId, chatId, snapshot: content.snapshot, fileIds: content.fileIds })
    .onConflictDoUpdate({
      target: [shares.ownerId, shares.chatId],
      set: { snapshot: content.snapshot, fileIds: content.fileIds, createdAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error('putShare: the share was not written');
  return row;
}

/** The owner's share of a chat, if it is shared. */
export async function getShareOfChat(db: Db, ownerId: string, chatId: string): Promise<StoredShare | null> {
  const [row] = await db
    .select()
    .from(shares)
    .where(and(eq(shares.ownerId, ownerId), eq(shares.chatId, chatId)));
  return row ?? null;
}

/** A share by its link id, for anyone who has the link; null for an unknown or revoked one. */
export async function getShare(db: Db, shareId: string): Promise<StoredShare | null> {
  if (!SHARE_ID.test(shareId)) return null;
  const [row] = await db.select().from(shares).where(eq(shares.id, shareId));
  return row ?? null;
}

/** Revokes the chat's share; false when it was not shared (or is not the owner's). */
export async function deleteShare(db: Db, ownerId: string, chatId: string): Promise<boolean> {
  const deleted = await db
    .delete(shares)
    .where(and(eq(shares.ownerId, ownerId), eq(shares.chatId, chatId)))
    .returning({ id: shares.id });
  return deleted.length > 0;
}
