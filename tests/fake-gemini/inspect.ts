import { createHash } from 'node:crypto';
import { asksForGoogleSearch } from './grounding.ts';
import type { RecordedImage } from './types.ts';

/** What arrived in a GenerateContentRequest, as far as the fake's reply and the records care. */
export interface Inspection {
  images: RecordedImage[];
  fileUris: string[];
  turns: number;
  /** Text parts of the last `user` turn, joined by a space: where directives are read from. */
  lastUserText: string;
  hasSystemInstruction: boolean;
  /** All text characters in the prompt (contents and system instruction), for the token estimate. */
  promptChars: number;
  tag: string | null;
  maxOutputTokens: number | null;
  /** The request's generationConfig, for JSON mode and thought summaries (json-and-thoughts.ts). */
  generationConfig: Record<string, unknown> | null;
  /** The request declares Google Search grounding (grounding.ts). */
  googleSearch: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const partsOf = (content: unknown): unknown[] =>
  isObject(content) && Array.isArray(content.parts) ? content.parts : [];
const textOf = (part: unknown): string | null => (isObject(part) && typeof part.text === 'string' ? part.text : null);

const TAG = /\[tag:([^\]\s]+)\]/;

/** The `[tag:…]` marker a test files its upstream calls under, if the text has one. */
export const tagOf = (text: string): string | null => TAG.exec(text)?.[1] ?? null;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Best effort on any body, so even a request the fake rejects is recorded with its images, URIs and tag. */
export function inspect(body: unknown): Inspection {
  const contents = isObject(body) && Array.isArray(body.contents) ? body.contents : [];
  const system = isObject(body) ? body.systemInstruction : undefined;
  const images: RecordedImage[] = [];
  const fileUris: string[] = [];
  let promptChars = 0;
  let tag: string | null = null;
  for (const part of [...contents.flatMap(partsOf), ...partsOf(system)]) {
    if (!isObject(part)) continue;
    const text = textOf(part);
    if (text !== null) {
      promptChars += text.length;
      tag ??= TAG.exec(text)?.[1] ?? null;
    }
    const inline = part.inlineData;
    if (isObject(inline) && typeof inline.data === 'string') {
      const bytes = Buffer.from(inline.data, 'base64');
      images.push({ mimeType: String(inline.mimeType), bytes: bytes.length, sha256: sha256Hex(bytes) });
    }
    const file = part.fileData;
    if (isObject(file) && typeof file.fileUri === 'string') fileUris.push(file.fileUri);
  }
  const lastUser = contents.findLast((c) => isObject(c) && c.role === 'user');
  const lastUserText = partsOf(lastUser)
    .map(textOf)
    .filter((t) => t !== null)
    .join(' ');
  const config = isObject(body) ? body.generationConfig : undefined;
  const max = isObject(config) ? config.maxOutputTokens : undefined;
  return {
    images,
    fileUris,
    turns: contents.length,
    lastUserText,
    hasSystemInstruction: partsOf(system).some((p) => textOf(p) !== null),
    promptChars,
    tag,
    maxOutputTokens: typeof max === 'number' && max > 0 ? max : null,
    generationConfig: isObject(config) ? config : null,
    googleSearch: asksForGoogleSearch(body),
  };
}

// Gemini's documented image types; anything else it rejects with 400, and so does the fake, so a gateway that
// forwards e.g. SVG or GIF unchanged is caught in tests.
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

/** The message of Google's 400 for a request Gemini would refuse, or null when it is acceptable. */
export function validate(body: unknown): string | null {
  if (!isObject(body)) return 'Invalid JSON payload received. Expected an object.';
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified\n';
  }
  for (const [i, content] of contents.entries()) {
    if (!isObject(content)) return `Invalid JSON payload received. Invalid value at 'contents[${i}]'.`;
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      return 'Please use a valid role: user, model.';
    }
    const parts = partsOf(content);
    if (parts.length === 0) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`;
    for (const part of parts) {
      const inline = isObject(part) ? part.inlineData : undefined;
      if (!isObject(inline)) continue;
      const mimeType = String(inline.mimeType ?? '');
      if (mimeType.startsWith('image/') && !IMAGE_TYPES.has(mimeType)) return `Unsupported MIME type: ${mimeType}`;
      if (typeof inline.data !== 'string' || inline.data === '') {
        return `* GenerateContentRequest.contents[${i}].parts: inline_data.data must not be empty.\n`;
      }
    }
  }
  return null;
}
