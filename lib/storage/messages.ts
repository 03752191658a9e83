import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { chats, files, messageFiles, messages } from '@/lib/db/schema';
import { ApiError } from '@/lib/errors';
import { currentBranch, loadTreeNodes, nextChosen } from '@/lib/storage/message-tree';
import { storedChatNotFound, toMessage } from '@/lib/storage/rows';
import type { MessageRole, MessageStatus, StoredMessage, StoredPart } from '@/lib/storage/types';
import {
  fileIdsOfParts,
  idOrNew,
  isId,
  parseErrorText,
  parseFinishReason,
  parseModel,
  parseNotice,
  parseParts,
  parseRole,
  parseStatus,
  parseUsage,
  textOfParts,
} from '@/lib/storage/validate';

export type { MessageRole, MessageStatus, StoredMessage, StoredPart } from '@/lib/storage/types';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const ownChat = (ownerId: string, chatId: string) => and(eq(chats.ownerId, ownerId), eq(chats.id, chatId));
const ownMessage = (ownerId: string, messageId: string) =>
  and(eq(messages.ownerId, ownerId), eq(messages.id, messageId));

export interface NewMessage {
  id?: string;
  /**
   * The message this one follows: null for a first message (a new version of the first question), a message of
   * this chat, or (left out) the end of the current branch.
   */
  parentId?: string | null;
  role: MessageRole;
  parts: StoredPart[];
  /** Default 'complete'. */
  status?: MessageStatus;
  finishReason?: string | null;
  /** Token counters; counters left undefined are dropped. */
  usage?: Record<string, number | undefined> | null;
  error?: string | null;
  notice?: string | null;
  model?: string | null;
  finishDetail?: string | null;
}

/**
 * Adds a message to the owner's chat, after `parentId` (by default at the end of the current branch), makes it
 * part of the current branch and moves the chat to the top of the list.
 * Throws ApiError 404 `chat_not_found` for a chat that is not the owner's, 404 `message_not_found` for a parent
 * that is not in the chat, 400 `unknown_file` for a file reference that is not one of the owner's files,
 * 409 `message_exists` for a reused message id.
 */
export async function appendMessage(
  db: Db,
  ownerId: string,
  chatId: string,
  message: NewMessage,
): Promise<StoredMessage> {
  const id = idOrNew(message.id, 'id');
  const parts = parseParts(message.parts);
  const values = {
    ownerId,
    id,
    chatId,
    role: parseRole(message.role),
    parts,
    text: textOfParts(parts),
    status: parseStatus(message.status ?? 'complete'),
    finishReason: parseFinishReason(message.finishReason),
    usage: parseUsage(message.usage),
    error: parseErrorText(message.error),
    notice: parseNotice(message.notice),
    model: message.model == null ? null : parseModel(message.model),
    finishDetail: parseNotice(message.finishDetail, 'finishDetail'),
  };
  if (!isId(chatId)) throw storedChatNotFound();
  return db.transaction(async (tx) => {
    // Locking the chat row serialises appends to one chat, so two cannot take the same position.
    const [chat] = await tx.select({ id: chats.id }).from(chats).where(ownChat(ownerId, chatId)).for('update');
    if (!chat) throw storedChatNotFound();
    const fileIds = fileIdsOfParts(parts);
    await lockOwnFiles(tx, ownerId, fileIds, parts);
    const [next] = await tx
      .select({ position: sql<number>`coalesce(max(${messages.position}) + 1, 0)`.mapWith(Number) })
      .from(messages)
      .where(and(eq(messages.ownerId, ownerId), eq(messages.chatId, chatId)));
    const position = next?.position ?? 0;
    const nodes = await loadTreeNodes(tx, ownerId, chatId);
    let parentId: string | null;
    if (message.parentId === undefined) parentId = currentBranch(nodes).at(-1)?.id ?? null;
    else if (message.parentId === null) parentId = null;
    else if (nodes.some((node) => node.id === message.parentId)) parentId = message.parentId;
    else
      throw new ApiError(404, 'The message to follow is not in this chat.', {
        code: 'message_not_found',
        param: 'parentId',
      });
    const chosen = await nextChosen(tx, ownerId, chatId);
    const [row] = await tx
      .insert(messages)
      .values({ ...values, position, parentId, chosen })
      .onConflictDoNothing()
      .returning();
    if (!row)
      throw new ApiError(409, `A message with id ${id} already exists.`, { code: 'message_exists', param: 'id' });
    await linkFiles(tx, ownerId, id, fileIds);
    await touchChat(tx, ownerId, chatId);
    return toMessage(row);
  });
}

export interface MessagePatch {
  parts?: StoredPart[];
  status?: MessageStatus;
  finishReason?: string | null;
  usage?: Record<string, number | undefined> | null;
  error?: string | null;
  notice?: string | null;
  model?: string | null;
  finishDetail?: string | null;
}

/** Changes a message in place (an answer finishing after it was first saved); null if it is not the owner's. */
export async function updateMessage(
  db: Db,
  ownerId: string,
  messageId: string,
  patch: MessagePatch,
): Promise<StoredMessage | null> {
  const set: Partial<typeof messages.$inferInsert> = {};
  const parts = patch.parts === undefined ? undefined : parseParts(patch.parts);
  if (parts) Object.assign(set, { parts, text: textOfParts(parts) });
  if (patch.status !== undefined) set.status = parseStatus(patch.status);
  if (patch.finishReason !== undefined) set.finishReason = parseFinishReason(patch.finishReason);
  if (patch.usage !== undefined) set.usage = parseUsage(patch.usage);
  if (patch.error !== undefined) set.error = parseErrorText(patch.error);
  if (patch.notice !== undefined) set.notice = parseNotice(patch.notice);
  if (patch.model !== undefined) set.model = patch.model === null ? null : parseModel(patch.model);
  if (patch.finishDetail !== undefined) set.finishDetail = parseNotice(patch.finishDetail, 'finishDetail');
  if (!isId(messageId)) return null;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(messages).where(ownMessage(ownerId, messageId)).for('update');
    if (!current) return null;
    if (Object.keys(set).length === 0) return toMessage(current);
    if (parts) {
      const fileIds = fileIdsOfParts(parts);
      await lockOwnFiles(tx, ownerId, fileIds, parts);
      await tx
        .delete(messageFiles)
        .where(and(eq(messageFiles.ownerId, ownerId), eq(messageFiles.messageId, messageId)));
      await linkFiles(tx, ownerId, messageId, fileIds);
    }
    const [row] = await tx.update(messages).set(set).where(ownMessage(ownerId, messageId)).returning();
    await touchChat(tx, ownerId, current.chatId);
    return row ? toMessage(row) : null;
  });
}

/**
 * Checks that every referenced file is the owner's, and key-share-locks them so a concurrent chat deletion
 * cannot remove one between this check and the link being written.
 */
async function lockOwnFiles(tx: Tx, ownerId: string, fileIds: string[], parts: StoredPart[]): Promise<void> {
  if (fileIds.length === 0) return;
  const found = await tx
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.ownerId, ownerId), inArray(files.id, fileIds)))
    .for('key share');
  const known = new Set(found.map((row) => row.id));
  const missing = fileIds.find((fileId) => !known.has(fileId));
  if (missing === undefined) return;
  const index = parts.findIndex((part) => part.type === 'file' && part.fileId === missing);
  throw new ApiError(400, `File ${missing} does not exist; upload the image through /api/files first.`, {
    code: 'unknown_file',
    param: `parts[${index}].fileId`,
  });
}

async function linkFiles(tx: Tx, ownerId: string, messageId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return;
  await tx.insert(messageFiles).values(fileIds.map((fileId) => ({ ownerId, messageId, fileId })));
}

async function touchChat(tx: Tx, ownerId: string, chatId: string): Promise<void> {
  await tx.update(chats).set({ updatedAt: sql`now()` }).where(ownChat(ownerId, chatId));
}

/**
 * At start-up: answers still `streaming` that began before `startedBefore` can no longer be running anywhere
 * (their server stopped without saving them), so they become `interrupted`, keeping whatever text was saved.
 * Across owners; returns how many.
 */
export async function interruptStaleAnswers(db: Db, startedBefore: Date): Promise<number> {
  const updated = await db
    .update(messages)
    .set({ status: 'interrupted' })
    .where(and(eq(messages.status, 'streaming'), lt(messages.createdAt, startedBefore)))
    .returning({ id: messages.id });
  return updated.length;
}
