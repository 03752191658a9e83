import type { chats, files, messages } from '@/lib/db/schema';
import { chatNotFound } from '@/lib/errors';
import type { Chat, StoredFileInfo, StoredMessage } from '@/lib/storage/types';

/** Rows to the shapes callers see; the column layout stays private to lib/storage. */

export function toChat(row: typeof chats.$inferSelect): Chat {
  return {
    id: row.id,
    ownerId: row.ownerId,
    title: row.title,
    model: row.model,
    settings: row.settings ?? {},
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toMessage(row: typeof messages.$inferSelect): StoredMessage {
  return {
    id: row.id,
    chatId: row.chatId,
    parentId: row.parentId,
    role: row.role,
    parts: row.parts,
    status: row.status,
    finishReason: row.finishReason,
    usage: row.usage,
    error: row.error,
    notice: row.notice,
    model: row.model,
    finishDetail: row.finishDetail,
    createdAt: row.createdAt,
  };
}

/** The columns of `files` without the bytes, for the queries that must not load them. */
export type FileInfoRow = Pick<
  typeof files.$inferSelect,
  'id' | 'sha256' | 'mediaType' | 'byteSize' | 'width' | 'height' | 'createdAt'
>;

export function toFileInfo(row: FileInfoRow): StoredFileInfo {
  return {
    id: row.id,
    sha256: row.sha256,
    mediaType: row.mediaType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    createdAt: row.createdAt,
  };
}

/** postgres.js hands out Buffers, PGlite Uint8Arrays; callers get a plain Uint8Array view either way. */
export function toBytes(value: Uint8Array): Uint8Array {
  return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

export const storedChatNotFound = () => chatNotFound('chatId');
