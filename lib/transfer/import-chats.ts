import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes } from '@/lib/format';
import { parseBody } from '@/lib/http/parse-body';
import { imageDimensions } from '@/lib/images/dimensions';
import { sniffImage } from '@/lib/images/sniff';
import { createChat } from '@/lib/storage/chats';
import { putFile } from '@/lib/storage/files';
import { chooseMessage } from '@/lib/storage/message-tree';
import { appendMessage } from '@/lib/storage/messages';
import type { StoredPart } from '@/lib/storage/types';
import { chatsFromChatGpt, looksLikeChatGpt } from '@/lib/transfer/chatgpt';
import { IRIS_FORMAT, type IrisChat, IrisExport } from '@/lib/transfer/iris-format';

export interface ImportOptions {
  /** The model of chats whose export names none (ChatGPT's). */
  defaultModel: string;
  /** Each embedded image may be at most this big (MAX_UPLOAD_BYTES, as an upload). */
  maxImageBytes: number;
}

/**
 * Imports Iris's chat JSON or ChatGPT's conversations.json as new chats of the owner, all or nothing, and
 * returns their ids. Every id in the file is replaced (the file's ids only tie it together), images are checked
 * as uploads are, and a bad field is a 400 that names it (`chats[0].messages[3].parentId`).
 */
export async function importChats(db: Db, ownerId: string, body: unknown, options: ImportOptions): Promise<string[]> {
  const chats = parseImport(body, options);
  const images = await Promise.all(chats.map((chat, index) => checkImages(chat, `chats[${index}]`, options)));
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const [index, chat] of chats.entries()) {
      ids.push(await importChat(tx as unknown as Db, ownerId, chat, images[index] ?? new Map(), `chats[${index}]`));
    }
    return ids;
  });
}

function parseImport(body: unknown, options: ImportOptions): IrisChat[] {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'format' in body) {
    if ((body as { format: unknown }).format !== IRIS_FORMAT) {
      throw invalidRequest(`format must be "${IRIS_FORMAT}" for an Iris export.`, 'format', 'invalid_import');
    }
    return parseBody(IrisExport, body).chats;
  }
  if (looksLikeChatGpt(body)) {
    return chatsFromChatGpt(body).map((chat) => ({ ...chat, model: options.defaultModel }));
  }
  throw invalidRequest(
    `The body is neither an Iris chat export (an object with "format": "${IRIS_FORMAT}") nor ChatGPT's conversations.json (an array of conversations with a "mapping").`,
    null,
    'invalid_import',
  );
}

interface CheckedImage {
  bytes: Uint8Array;
  mediaType: string;
  width: number;
  height: number;
}

async function checkImages(chat: IrisChat, param: string, options: ImportOptions): Promise<Map<string, CheckedImage>> {
  const checked = new Map<string, CheckedImage>();
  for (const [index, file] of chat.files.entries()) {
    const where = `${param}.files[${index}].data`;
    const bytes = new Uint8Array(Buffer.from(file.data, 'base64'));
    if (bytes.byteLength === 0) throw invalidRequest(`${where} is empty.`, where, 'invalid_image');
    if (bytes.byteLength > options.maxImageBytes) {
      throw new ApiError(413, `${where} is larger than ${formatBytes(options.maxImageBytes)} (MAX_UPLOAD_BYTES).`, {
        code: 'image_too_large',
        param: where,
      });
    }
    const sniffed = await sniffImage(bytes);
    if (!sniffed.ok)
      throw invalidRequest(`${where} is ${sniffed.detected}, not an image Iris accepts.`, where, 'invalid_image');
    const size = imageDimensions(bytes);
    if (!size) throw invalidRequest(`${where} is an image whose header is damaged.`, where, 'invalid_image');
    checked.set(file.id, { bytes, mediaType: sniffed.mediaType, ...size });
  }
  return checked;
}

async function importChat(
  db: Db,
  ownerId: string,
  chat: IrisChat,
  images: Map<string, CheckedImage>,
  param: string,
): Promise<string> {
  const created = await createChat(db, ownerId, { title: chat.title, model: chat.model, settings: chat.settings });
  const fileIds = new Map<string, { id: string; mediaType: string }>();
  for (const [ref, image] of images) {
    const { file } = await putFile(db, ownerId, image);
    fileIds.set(ref, { id: file.id, mediaType: file.mediaType });
  }
  const newIds = new Map<string, string>();
  for (const [index, message] of chat.messages.entries()) {
    const where = `${param}.messages[${index}]`;
    if (newIds.has(message.id)) throw invalidRequest(`${where}.id is used twice.`, `${where}.id`, 'invalid_import');
    let parentId: string | null = null;
    if (message.parentId !== null) {
      const parent = newIds.get(message.parentId);
      if (!parent) {
        throw invalidRequest(
          `${where}.parentId names no message before it in this chat.`,
          `${where}.parentId`,
          'invalid_import',
        );
      }
      parentId = parent;
    }
    const parts: StoredPart[] = message.parts.map((part, partIndex) => {
      if (part.type !== 'image') return part;
      const file = fileIds.get(part.file);
      if (!file) {
        const at = `${where}.parts[${partIndex}].file`;
        throw invalidRequest(`${at} names no entry of files.`, at, 'invalid_import');
      }
      return { type: 'file', fileId: file.id, mediaType: file.mediaType };
    });
    const id = randomUUID();
    try {
      await appendMessage(db, ownerId, created.id, {
        id,
        parentId,
        role: message.role,
        parts,
        // An answer cut off by a server that stopped is not running here: it counts as stopped.
        status: message.status === 'streaming' ? 'stopped' : message.status,
        finishReason: message.finishReason ?? null,
        usage: message.usage ?? null,
        error: message.error ?? null,
        notice: message.notice ?? null,
        model: message.model ?? null,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        throw invalidRequest(
          `${where}: ${error.message}`,
          `${where}${error.param ? `.${error.param}` : ''}`,
          error.code,
        );
      }
      throw error;
    }
    newIds.set(message.id, id);
  }
  const current = chat.current ? newIds.get(chat.current) : undefined;
  if (chat.current && !current) {
    throw invalidRequest(`${param}.current names no message of this chat.`, `${param}.current`, 'invalid_import');
  }
  if (current) await chooseMessage(db, ownerId, created.id, current);
  return created.id;
}
