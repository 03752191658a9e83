import type { FilePart, ModelMessage, TextPart, UIMessage } from 'ai';
import { z } from 'zod';
import { invalidRequest } from '@/lib/errors';
import { replaceNul, storableString } from '@/lib/nul';
import { formatParam } from '@/lib/openai/parse-request';
import type { StoredMessage, StoredPart } from '@/lib/storage/messages';

/**
 * Messages as the chat UI (useChat) sees them ↔ as they are stored ↔ as Gemini gets them.
 * Stored messages hold file references only; the browser fetches `/api/files/:id`, Gemini gets the bytes.
 */

export const FILE_URL_PREFIX = '/api/files/';
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const IncomingPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: storableString() }),
  z.object({ type: z.literal('file'), mediaType: z.string(), url: z.string(), filename: z.string().optional() }),
]);

/** A user message from the browser: text and references to files uploaded through /api/files. */
export const IncomingUserMessage = z.object({
  id: z.string().regex(MESSAGE_ID, 'must be 1–64 letters, digits, "_" or "-"'),
  role: z.literal('user'),
  parts: z.array(z.looseObject({ type: z.string() })).min(1, 'must have at least one part'),
});

/**
 * `maxChars` (CHAT_MAX_MESSAGE_CHARS) bounds the message's text, all parts together; the body limit of /api/chat
 * already stopped reading anything much larger.
 */
export function toStoredParts(
  message: z.infer<typeof IncomingUserMessage>,
  param: string,
  limits: { maxChars: number } = { maxChars: Number.POSITIVE_INFINITY },
): StoredPart[] {
  const parts: StoredPart[] = [];
  let chars = 0;
  message.parts.forEach((raw, i) => {
    // Other part types (step-start and the like) carry nothing to keep for a user turn.
    if (raw.type !== 'text' && raw.type !== 'file') return;
    const parsed = IncomingPart.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = `${param}.parts[${i}]${issue && issue.path.length > 0 ? `.${formatParam(issue.path)}` : ''}`;
      throw invalidRequest(`${where} is not a valid ${raw.type} part: ${issue?.message ?? 'unknown problem'}.`, where);
    }
    const part = parsed.data;
    if (part.type === 'text') {
      chars += part.text.length;
      if (chars > limits.maxChars) {
        throw invalidRequest(
          `${param} has more than ${limits.maxChars.toLocaleString('en-US')} characters of text (CHAT_MAX_MESSAGE_CHARS); send less, or split it.`,
          `${param}.parts[${i}].text`,
          'message_too_long',
        );
      }
      if (part.text.length > 0) parts.push({ type: 'text', text: part.text });
      return;
    }
    const fileId = fileIdFromUrl(part.url);
    if (!fileId) {
      throw invalidRequest(
        `${param}.parts[${i}].url must reference an uploaded file (${FILE_URL_PREFIX}<id>); upload images to /api/files first.`,
        `${param}.parts[${i}].url`,
        'upload_first',
      );
    }
    parts.push({ type: 'file', fileId, mediaType: part.mediaType });
  });
  if (parts.length === 0) throw invalidRequest(`${param} has no text and no image.`, `${param}.parts`);
  return parts;
}

function fileIdFromUrl(url: string): string | undefined {
  let path = url;
  try {
    // Absolute URLs of this server are fine too; only the path matters.
    path = new URL(url, 'http://iris.local').pathname;
  } catch {
    return undefined;
  }
  if (!path.startsWith(FILE_URL_PREFIX)) return undefined;
  const id = path.slice(FILE_URL_PREFIX.length);
  return MESSAGE_ID.test(id) ? id : undefined;
}

export interface MessageMetadata {
  status?: StoredMessage['status'];
  finishReason?: string | null;
  usage?: Record<string, number> | null;
  error?: string | null;
  createdAt?: string;
  /** Said once: the chat's model is retired and another answered (the chat then moves to that one). */
  notice?: string;
  /** Sent live with that notice: the model the chat moved to, for the picker. */
  servedModel?: string;
  /** The model that wrote the answer. */
  model?: string;
  /** Why Gemini stopped, in words (the safety category that blocked the answer). */
  finishDetail?: string;
  /** The ids of this message's versions (itself and its siblings, in order of writing), when it has others. */
  versions?: string[];
}

export function toUIMessage(message: StoredMessage): UIMessage<MessageMetadata> {
  return {
    id: message.id,
    role: message.role,
    metadata: {
      status: message.status,
      finishReason: message.finishReason,
      usage: message.usage,
      error: message.error,
      ...(message.notice ? { notice: message.notice } : {}),
      ...(message.model ? { model: message.model } : {}),
      ...(message.finishDetail ? { finishDetail: message.finishDetail } : {}),
      createdAt: message.createdAt.toISOString(),
    },
    parts: message.parts.map((part) =>
      part.type === 'file'
        ? { type: 'file' as const, mediaType: part.mediaType, url: `${FILE_URL_PREFIX}${part.fileId}` }
        : part.type === 'reasoning'
          ? { type: 'reasoning' as const, text: part.text }
          : { type: 'text' as const, text: part.text },
    ),
  };
}

/** The assistant's streamed message → what is stored (text and reasoning; nothing else is produced yet). */
export function storedPartsOfResponse(message: UIMessage): StoredPart[] {
  const parts: StoredPart[] = [];
  for (const part of message.parts) {
    // Gemini's text can hold a NUL, which the database cannot store.
    if (part.type === 'text' && part.text) parts.push({ type: 'text', text: replaceNul(part.text) });
    if (part.type === 'reasoning' && part.text) parts.push({ type: 'reasoning', text: replaceNul(part.text) });
  }
  return parts;
}

/**
 * Stored history → model messages. `files` holds the bytes of the images to send (see imagesWithinLimits);
 * an image missing from it is named instead of sent.
 */
export function toModelHistory(
  messages: readonly StoredMessage[],
  files: ReadonlyMap<string, { bytes: Uint8Array; mediaType: string }>,
): ModelMessage[] {
  const history: ModelMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      const content: (TextPart | FilePart)[] = [];
      for (const part of message.parts) {
        if (part.type === 'text') content.push({ type: 'text', text: part.text });
        if (part.type === 'file') {
          const file = files.get(part.fileId);
          if (file) content.push({ type: 'file', mediaType: file.mediaType, data: file.bytes });
          else
            content.push({ type: 'text', text: '[An earlier image is not included, to stay within request limits.]' });
        }
      }
      if (content.length > 0) history.push({ role: 'user', content });
      continue;
    }
    const text = message.parts
      .filter((p): p is Extract<StoredPart, { type: 'text' }> => p.type === 'text')
      .map((p) => p.text)
      .join('');
    // Gemini refuses empty model turns; a failed or still-running answer without text adds nothing.
    if (text) history.push({ role: 'assistant', content: text });
  }
  return history;
}

/**
 * Long chats can gather more images than one Gemini request may carry: the newest are kept within the same
 * limits as the OpenAI endpoint (MAX_IMAGES_PER_REQUEST, MAX_TOTAL_IMAGE_BYTES), judged by their recorded
 * sizes so that images left out are never loaded.
 */
export function imagesWithinLimits(
  messages: readonly StoredMessage[],
  sizes: ReadonlyMap<string, { byteSize: number }>,
  limits: { maxImages: number; maxBytes: number },
): string[] {
  const kept = new Set<string>();
  let bytes = 0;
  for (const message of [...messages].reverse()) {
    for (const part of [...message.parts].reverse()) {
      if (part.type !== 'file' || kept.has(part.fileId)) continue;
      const size = sizes.get(part.fileId)?.byteSize;
      if (size === undefined) continue;
      if (kept.size >= limits.maxImages || bytes + size > limits.maxBytes) return [...kept];
      kept.add(part.fileId);
      bytes += size;
    }
  }
  return [...kept];
}

export function fileIdsOf(messages: readonly StoredMessage[]): string[] {
  return [...new Set(messages.flatMap((m) => m.parts.flatMap((p) => (p.type === 'file' ? [p.fileId] : []))))];
}

export function textOf(parts: readonly StoredPart[]): string {
  return parts
    .filter((p): p is Extract<StoredPart, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('\n');
}
