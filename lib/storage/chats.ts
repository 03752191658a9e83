import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { chats, messageFiles, messages } from '@/lib/db/schema';
import { ApiError } from '@/lib/errors';
import { hasNul } from '@/lib/nul';
import { decodeCursor, encodeCursor } from '@/lib/storage/cursor';
import { deleteFilesIfUnreferenced } from '@/lib/storage/files';
import { currentBranch, versionsOf } from '@/lib/storage/message-tree';
import { toChat, toMessage } from '@/lib/storage/rows';
import type { Chat, ChatSettings, StoredMessage } from '@/lib/storage/types';
import {
  containsPattern,
  DEFAULT_TITLE,
  idOrNew,
  isId,
  parseModel,
  parseSettings,
  parseTitle,
  TITLE_MAX_LENGTH,
} from '@/lib/storage/validate';

export type { Chat, ChatSettings } from '@/lib/storage/types';

/** Every function takes the owner: another owner's chat behaves exactly like one that does not exist. */

export const DEFAULT_LIST_LIMIT = 30;
export const MAX_LIST_LIMIT = 100;
const MAX_QUERY_LENGTH = 200;

const ownChat = (ownerId: string, chatId: string) => and(eq(chats.ownerId, ownerId), eq(chats.id, chatId));

export interface NewChat {
  id?: string;
  title?: string;
  model: string;
  settings?: ChatSettings;
}

/** Throws ApiError 409 `chat_exists` when the owner already has a chat with this id. */
export async function createChat(db: Db, ownerId: string, input: NewChat): Promise<Chat> {
  const id = idOrNew(input.id, 'id');
  const values = {
    ownerId,
    id,
    title: titleOfNewChat(input.title),
    model: parseModel(input.model),
    settings: parseSettings(input.settings),
  };
  const [row] = await db.insert(chats).values(values).onConflictDoNothing().returning();
  if (!row) throw new ApiError(409, `A chat with id ${id} already exists.`, { code: 'chat_exists', param: 'id' });
  return toChat(row);
}

/**
 * A new chat's title is often made from the first message, which may be only an image or very long, so it
 * is made to fit instead of refused; a rename, which the user types, is checked strictly.
 */
function titleOfNewChat(title: string | undefined): string {
  const oneLine = title?.replace(/\s+/g, ' ').trim() ?? '';
  if (oneLine === '') return DEFAULT_TITLE;
  if (hasNul(oneLine)) {
    throw new ApiError(400, 'title must not contain the NUL character (U+0000).', {
      code: 'invalid_title',
      param: 'title',
    });
  }
  return oneLine.length > TITLE_MAX_LENGTH ? `${oneLine.slice(0, TITLE_MAX_LENGTH - 1).trimEnd()}…` : oneLine;
}

/**
 * The owner's chat with the messages of its current branch, and for each of them the ids of its versions (itself
 * and its siblings, in order of writing; one id when it has no other version).
 */
export async function getChat(
  db: Db,
  ownerId: string,
  chatId: string,
): Promise<(Chat & { messages: StoredMessage[]; versions: Record<string, string[]> }) | null> {
  if (!isId(chatId)) return null;
  const [row] = await db.select().from(chats).where(ownChat(ownerId, chatId));
  if (!row) return null;
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.ownerId, ownerId), eq(messages.chatId, chatId)))
    .orderBy(asc(messages.position));
  const branch = currentBranch(rows);
  const versions = versionsOf(
    rows,
    branch.map((message) => message.id),
  );
  return { ...toChat(row), messages: branch.map(toMessage), versions };
}

export interface ListChatsOptions {
  /** Default 30; more than 100 is cut to 100. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** Case-insensitive text to find in titles or message text; `%` and `_` mean themselves. */
  query?: string;
}

/** The owner's chats, most recently active first. */
export async function listChats(
  db: Db,
  ownerId: string,
  options: ListChatsOptions = {},
): Promise<{ chats: Chat[]; nextCursor: string | null }> {
  const limit = listLimit(options.limit);
  const conditions: (SQL | undefined)[] = [eq(chats.ownerId, ownerId)];
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor);
    // A row comparison walks the (owner_id, updated_at desc, id desc) index from the cursor onwards.
    conditions.push(
      sql`(${chats.updatedAt}, ${chats.id}) < (${cursor.updatedAt.toISOString()}::timestamptz, ${cursor.id})`,
    );
  }
  const query = options.query?.trim();
  if (query) {
    if (hasNul(query)) {
      throw new ApiError(400, 'query must not contain the NUL character (U+0000).', {
        code: 'invalid_query',
        param: 'query',
      });
    }
    if (query.length > MAX_QUERY_LENGTH) {
      throw new ApiError(400, `query must be at most ${MAX_QUERY_LENGTH} characters.`, {
        code: 'invalid_query',
        param: 'query',
      });
    }
    const pattern = containsPattern(query);
    // Uncorrelated, so it runs once (a hashed subplan) and can use the trigram index on messages.text,
    // rather than once per chat.
    const inMessages = db
      .select({ chatId: messages.chatId })
      .from(messages)
      .where(and(eq(messages.ownerId, ownerId), ilike(messages.text, pattern)));
    conditions.push(or(ilike(chats.title, pattern), inArray(chats.id, inMessages)));
  }
  const rows = await db
    .select()
    .from(chats)
    .where(and(...conditions))
    .orderBy(desc(chats.updatedAt), desc(chats.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(toChat);
  const last = page.at(-1);
  return { chats: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

function listLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ApiError(400, `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}.`, {
      code: 'invalid_limit',
      param: 'limit',
    });
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

export async function renameChat(db: Db, ownerId: string, chatId: string, title: string): Promise<Chat | null> {
  return updateChat(db, ownerId, chatId, { title });
}

export interface ChatPatch {
  title?: string;
  model?: string;
  /** Replaces the chat's settings as a whole; `{}` clears them. */
  settings?: ChatSettings;
}

/**
 * Changes title, model or settings. These do not move the chat up the list: `updatedAt` records activity
 * (messages), so renaming an old chat leaves it where the user last saw it.
 */
export async function updateChat(db: Db, ownerId: string, chatId: string, patch: ChatPatch): Promise<Chat | null> {
  const set: Partial<typeof chats.$inferInsert> = {};
  if (patch.title !== undefined) set.title = parseTitle(patch.title);
  if (patch.model !== undefined) set.model = parseModel(patch.model);
  if (patch.settings !== undefined) set.settings = parseSettings(patch.settings);
  if (!isId(chatId)) return null;
  if (Object.keys(set).length === 0) {
    const [row] = await db.select().from(chats).where(ownChat(ownerId, chatId));
    return row ? toChat(row) : null;
  }
  const [row] = await db.update(chats).set(set).where(ownChat(ownerId, chatId)).returning();
  return row ? toChat(row) : null;
}

/**
 * Renames a chat only while it still has the title `from`, so a name the user gave it in the meantime is kept.
 * True when it was renamed.
 */
export async function retitleChatIfStill(
  db: Db,
  ownerId: string,
  chatId: string,
  change: { from: string; to: string },
): Promise<boolean> {
  if (!isId(chatId)) return false;
  const renamed = await db
    .update(chats)
    .set({ title: parseTitle(change.to) })
    .where(and(ownChat(ownerId, chatId), eq(chats.title, change.from)))
    .returning({ id: chats.id });
  return renamed.length > 0;
}

/**
 * Deletes the chat with its messages (by cascade) and then the files its messages referred to that no
 * remaining message refers to. Files never sent in any message (just uploaded) are not touched.
 */
export async function deleteChat(db: Db, ownerId: string, chatId: string): Promise<boolean> {
  if (!isId(chatId)) return false;
  return db.transaction(async (tx) => {
    const referenced = await tx
      .selectDistinct({ fileId: messageFiles.fileId })
      .from(messageFiles)
      .innerJoin(messages, and(eq(messages.ownerId, messageFiles.ownerId), eq(messages.id, messageFiles.messageId)))
      .where(and(eq(messages.ownerId, ownerId), eq(messages.chatId, chatId)));
    const deleted = await tx.delete(chats).where(ownChat(ownerId, chatId)).returning({ id: chats.id });
    if (deleted.length === 0) return false;
    await deleteFilesIfUnreferenced(
      tx as Db,
      ownerId,
      referenced.map((r) => r.fileId),
    );
    return true;
  });
}
