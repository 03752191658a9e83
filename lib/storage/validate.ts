import { z } from 'zod';
import type { ErrorCode } from '@/lib/error-codes';
import { ApiError } from '@/lib/errors';
import { hasNul, NUL_MESSAGE, replaceNul, storableString } from '@/lib/nul';
import type { ChatSettings, MessageRole, MessageStatus, StoredPart } from '@/lib/storage/types';

/**
 * Everything written to the database passes through here first: jsonb columns accept any JSON, so this is
 * the only place that keeps image bytes, unknown part types and out-of-range settings out of them.
 */

/** Chat and message ids may come from the browser (the chat UI makes them), so only plain tokens are let in. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const TITLE_MAX_LENGTH = 200;
export const DEFAULT_TITLE = 'New chat';
const MODEL_MAX_LENGTH = 200;
const SYSTEM_PROMPT_MAX_LENGTH = 100_000;
const MAX_PARTS = 1_000;
const ERROR_MAX_LENGTH = 4_000;
const NOTICE_MAX_LENGTH = 500;
const FINISH_REASON_MAX_LENGTH = 64;
const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function newId(): string {
  return crypto.randomUUID();
}

/** A caller-supplied id, or a fresh one. */
export function idOrNew(value: string | undefined, param: string): string {
  if (value === undefined) return newId();
  if (!isId(value)) {
    throw new ApiError(400, `${param} must be 1 to 64 letters, digits, "_" or "-".`, { code: 'invalid_id', param });
  }
  return value;
}

function invalid(message: string, code: ErrorCode, param: string): ApiError {
  return new ApiError(400, message, { code, param });
}

function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix} is invalid`;
  const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return `${prefix}${path}: ${issue.message}`;
}

export function parseTitle(value: unknown): string {
  // Titles are one line in a sidebar; generated ones often arrive with newlines or padding.
  const title = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
  if (title.length === 0 || title.length > TITLE_MAX_LENGTH) {
    throw invalid(`title must be 1 to ${TITLE_MAX_LENGTH} characters.`, 'invalid_title', 'title');
  }
  if (hasNul(title)) throw invalid(`title ${NUL_MESSAGE}.`, 'invalid_title', 'title');
  return title;
}

export function parseModel(value: unknown): string {
  const model = typeof value === 'string' ? value.trim() : '';
  if (model.length === 0 || model.length > MODEL_MAX_LENGTH) {
    throw invalid(`model must be 1 to ${MODEL_MAX_LENGTH} characters.`, 'invalid_model', 'model');
  }
  return model;
}

export const SettingsSchema = z.strictObject({
  systemPrompt: storableString().max(SYSTEM_PROMPT_MAX_LENGTH).optional(),
  // Gemini's accepted range.
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_048_576).optional(),
});

export function parseSettings(value: unknown): ChatSettings {
  const parsed = SettingsSchema.safeParse(value ?? {});
  if (!parsed.success) throw invalid(firstIssue(parsed.error, 'settings'), 'invalid_settings', 'settings');
  // Drop keys set to undefined so the stored JSON holds only what was chosen.
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as ChatSettings;
}

const PART_TYPES = ['text', 'file', 'reasoning'] as const;
/** Keys that mean a part carries the image itself rather than pointing at an uploaded file. */
const INLINE_KEYS = ['url', 'data', 'bytes', 'base64', 'image', 'content', 'source'];

const PartSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: storableString() }),
  z.strictObject({ type: z.literal('reasoning'), text: storableString() }),
  z.strictObject({
    type: z.literal('file'),
    fileId: z.string().regex(ID_PATTERN, 'must be the id of an uploaded file'),
    mediaType: z.string().regex(MEDIA_TYPE_PATTERN, 'must be a media type such as image/png'),
  }),
]);

export function parseParts(value: unknown): StoredPart[] {
  if (!Array.isArray(value)) throw invalid('parts must be an array.', 'invalid_parts', 'parts');
  if (value.length > MAX_PARTS) throw invalid(`parts may hold at most ${MAX_PARTS} parts.`, 'invalid_parts', 'parts');
  return value.map((part: unknown, index) => {
    const param = `parts[${index}]`;
    const record = typeof part === 'object' && part !== null ? (part as Record<string, unknown>) : undefined;
    const type = record?.type;
    if (record && (type === 'file' || type === 'image') && INLINE_KEYS.some((key) => key in record)) {
      throw invalid(
        `${param} carries image data inline. Messages store only references { type: 'file', fileId, mediaType } ` +
          'to images uploaded through /api/files, never bytes, base64 or URLs.',
        'inline_file_data',
        param,
      );
    }
    if (!PART_TYPES.includes(type as (typeof PART_TYPES)[number])) {
      throw invalid(`${param}.type must be one of ${PART_TYPES.join(', ')}.`, 'invalid_parts', param);
    }
    const parsed = PartSchema.safeParse(part);
    if (!parsed.success) throw invalid(firstIssue(parsed.error, param), 'invalid_parts', param);
    return parsed.data;
  });
}

/** The plain text of a message, kept in its own column so search need not look inside JSON. */
export function textOfParts(parts: readonly StoredPart[]): string {
  return parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

export function fileIdsOfParts(parts: readonly StoredPart[]): string[] {
  return [...new Set(parts.flatMap((part) => (part.type === 'file' ? [part.fileId] : [])))];
}

const RoleSchema = z.enum(['user', 'assistant']);
const StatusSchema = z.enum(['streaming', 'complete', 'stopped', 'interrupted', 'error']);
// Providers report usage with optional counters; unset ones are dropped rather than stored as null.
const UsageSchema = z
  .record(z.string().min(1).max(64), z.number().finite().optional())
  .refine((usage) => Object.keys(usage).length <= 32, 'at most 32 counters');

export function parseRole(value: unknown): MessageRole {
  const parsed = RoleSchema.safeParse(value);
  if (!parsed.success) throw invalid("role must be 'user' or 'assistant'.", 'invalid_role', 'role');
  return parsed.data;
}

export function parseStatus(value: unknown): MessageStatus {
  const parsed = StatusSchema.safeParse(value);
  if (!parsed.success)
    throw invalid("status must be 'complete', 'stopped', 'interrupted' or 'error'.", 'invalid_status', 'status');
  return parsed.data;
}

export function parseUsage(value: unknown): Record<string, number> | null {
  if (value === null || value === undefined) return null;
  const parsed = UsageSchema.safeParse(value);
  if (!parsed.success) throw invalid(firstIssue(parsed.error, 'usage'), 'invalid_usage', 'usage');
  const usage: Record<string, number> = {};
  for (const [key, count] of Object.entries(parsed.data)) if (count !== undefined) usage[key] = count;
  return usage;
}

export function parseFinishReason(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > FINISH_REASON_MAX_LENGTH) {
    throw invalid(
      `finishReason must be a string of at most ${FINISH_REASON_MAX_LENGTH} characters.`,
      'invalid_finish_reason',
      'finishReason',
    );
  }
  return value;
}

/** Error texts come from upstream failures of any length; a long one is cut rather than refused, so it is saved. */
export function parseErrorText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid('error must be a string.', 'invalid_error', 'error');
  const text = replaceNul(value);
  return text.length > ERROR_MAX_LENGTH ? `${text.slice(0, ERROR_MAX_LENGTH - 1)}…` : text;
}

/** A short text for the reader (a notice, a finish detail), named by `field` when it is refused. */
export function parseNotice(value: unknown, field = 'notice'): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > NOTICE_MAX_LENGTH) {
    throw invalid(`${field} must be a string of at most ${NOTICE_MAX_LENGTH} characters.`, 'invalid_notice', field);
  }
  return value;
}

export function parseMediaType(value: unknown): string {
  if (typeof value !== 'string' || !MEDIA_TYPE_PATTERN.test(value)) {
    throw invalid('mediaType must be a media type such as image/png.', 'invalid_media_type', 'mediaType');
  }
  return value.toLowerCase();
}

/** For a search box: `%` and `_` mean themselves, and the text may appear anywhere. */
export function containsPattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
