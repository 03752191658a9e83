import type { FilePart } from 'ai';
import type { MediaResolution } from '@/lib/core/gemini-call';
import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes } from '@/lib/format';
import type { ByteBudget } from '@/lib/http/read-capped';
import { canonicalBase64, decodeHead, scanBase64 } from '@/lib/images/data-url';
import { normaliseMediaType, sniffImage, UNRECOGNISED } from '@/lib/images/sniff';
import type { ChatMessage, UserContentPart } from '@/lib/openai/request-schema';

/**
 * OpenAI's `input_audio` and `file` parts → inline Gemini data, checked like images: the payload is
 * validated and sized from the base64 string itself, charged to the request's shared byte budget, and its
 * magic bytes must agree with the format the caller declared. Also maps `image_url.detail` onto Gemini's
 * media resolution.
 */

/** The non-image media Iris forwards, named as Gemini's documentation names them. */
export type InlineMediaType = 'audio/wav' | 'audio/mp3' | 'application/pdf';

export interface MediaPartLimits {
  /** Per part, the same limit as one image (MAX_IMAGE_BYTES). */
  maxBytes: number;
  /** Shared with the request's images (MAX_TOTAL_IMAGE_BYTES). */
  budget: ByteBudget;
}

type AudioPart = Extract<UserContentPart, { type: 'input_audio' }>;
type FileInputPart = Extract<UserContentPart, { type: 'file' }>;

const AUDIO_TYPES: Record<AudioPart['input_audio']['format'], InlineMediaType> = {
  wav: 'audio/wav',
  mp3: 'audio/mp3',
};

const NAMES: Record<InlineMediaType, string> = {
  'audio/wav': 'WAV audio',
  'audio/mp3': 'MP3 audio',
  'application/pdf': 'a PDF document',
};

/**
 * Every `input_audio` and `file` part of the request, decoded and checked, keyed by its position
 * (`messages[i].content[j]`). Runs before any image is fetched: these checks cost no network.
 */
export async function decodeMediaParts(
  messages: readonly ChatMessage[],
  limits: MediaPartLimits,
): Promise<Map<string, FilePart>> {
  const decoded = new Map<string, FilePart>();
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const [j, part] of message.content.entries()) {
      const at = `messages[${i}].content[${j}]`;
      if (part.type === 'input_audio') decoded.set(at, await decodeInputAudio(part, at, limits));
      else if (part.type === 'file') decoded.set(at, await decodeInputFile(part, at, limits));
    }
  }
  return decoded;
}

async function decodeInputAudio(part: AudioPart, at: string, limits: MediaPartLimits): Promise<FilePart> {
  const param = `${at}.input_audio.data`;
  const { data, format } = part.input_audio;
  if (/^data:/i.test(data)) {
    throw invalidRequest(
      `${param} must be bare base64 audio, not a data: URL; put the format in input_audio.format.`,
      param,
      'invalid_base64',
    );
  }
  const base64 = checkedBase64(data, 0, param, limits);
  const declared = AUDIO_TYPES[format];
  const found = sniffInlineMedia(base64);
  if (found !== declared) {
    const other = found === 'audio/wav' ? 'wav' : found === 'audio/mp3' ? 'mp3' : undefined;
    const hint = other ? ` Set input_audio.format to "${other}".` : ' Iris accepts WAV and MP3 audio.';
    throw invalidRequest(
      `${param} is ${await describeBytes(base64, found)}, but input_audio.format says "${format}".${hint}`,
      param,
      'media_type_mismatch',
    );
  }
  return inlinePart(declared, base64);
}

async function decodeInputFile(part: FileInputPart, at: string, limits: MediaPartLimits): Promise<FilePart> {
  const { file_data: fileData, file_id: fileId } = part.file;
  if (fileId != null) {
    throw invalidRequest(
      `${at}.file.file_id is not supported: Iris has no Files API. Send the file inline as file.file_data (data:application/pdf;base64,…).`,
      `${at}.file.file_id`,
      'unsupported_parameter',
    );
  }
  return decodePdfDataUrl(fileData, `${at}.file.file_data`, limits);
}

/** A PDF sent inline as a base64 data URL (Chat Completions' `file.file_data`, Responses' `input_file.file_data`). */
export async function decodePdfDataUrl(
  fileData: string | null | undefined,
  param: string,
  limits: MediaPartLimits,
): Promise<FilePart> {
  if (fileData == null || fileData === '') {
    throw invalidRequest(`${param} is required: a data:application/pdf;base64,… URL.`, param, 'invalid_value');
  }
  const comma = fileData.indexOf(',');
  const header = /^data:/i.test(fileData) && comma !== -1 ? fileData.slice('data:'.length, comma).split(';') : null;
  if (header === null || header[header.length - 1]?.trim().toLowerCase() !== 'base64') {
    throw invalidRequest(
      `${param} must be a base64 data: URL such as data:application/pdf;base64,…; Iris does not fetch files.`,
      param,
      'invalid_value',
    );
  }
  const declaredType = header.length > 1 ? normaliseMediaType(header[0] ?? '') : '';
  if (declaredType !== '' && declaredType !== 'application/pdf') {
    throw invalidRequest(
      `${param} is declared as ${declaredType}; file parts take PDF documents (images go in image_url parts, audio in input_audio parts).`,
      param,
      'unsupported_file_type',
    );
  }
  const base64 = checkedBase64(fileData, comma + 1, param, limits);
  const found = sniffInlineMedia(base64);
  if (found !== 'application/pdf') {
    const what = await describeBytes(base64, found);
    const message =
      declaredType === ''
        ? `${param} is ${what}; file parts take PDF documents.`
        : `${param} is declared as application/pdf, but the data is ${what}.`;
    throw invalidRequest(message, param, declaredType === '' ? 'unsupported_file_type' : 'media_type_mismatch');
  }
  return inlinePart('application/pdf', base64);
}

/** Validates and sizes the base64 from `start` without decoding it, charges the budget, and returns it canonical. */
function checkedBase64(source: string, start: number, param: string, limits: MediaPartLimits): string {
  const scan = scanBase64(source, start);
  if (scan.problem) throw invalidRequest(`${param} is not valid base64: ${scan.problem}.`, param, 'invalid_base64');
  if (scan.decodedBytes === 0) throw invalidRequest(`${param} holds no data.`, param, 'invalid_value');
  if (scan.decodedBytes > limits.maxBytes) {
    throw new ApiError(
      413,
      `The data in ${param} is ${formatBytes(scan.decodedBytes)}; the limit is ${formatBytes(limits.maxBytes)}.`,
      { param, code: 'file_too_large' },
    );
  }
  if (!limits.budget.take(scan.decodedBytes)) {
    throw new ApiError(
      413,
      `The images, audio and files of this request add up to more than ${formatBytes(limits.budget.total)} (MAX_TOTAL_IMAGE_BYTES); send fewer or smaller ones.`,
      { param, code: 'images_too_large' },
    );
  }
  const payload = start === 0 ? source : source.slice(start);
  // Gemini's inlineData wants standard padded base64; only odd encodings are re-encoded (a copy).
  return canonicalBase64({ declaredType: '', byteLength: scan.decodedBytes, payload, canonical: scan.canonical });
}

function inlinePart(mediaType: InlineMediaType, base64: string): FilePart {
  // Tagged, as for images: the SDK would otherwise try a bare string as a URL first.
  return { type: 'file', mediaType, data: { type: 'data', data: base64 } };
}

const ID3_HEADER_BYTES = 10;
const MPEG_HEADER_BYTES = 4;
// A file could chain tags; real ones carry one, rarely two.
const MAX_ID3_TAGS = 4;

/**
 * The format of canonical base64 data by its magic bytes: `%PDF-` for PDF, RIFF…WAVE for WAV, and for MP3
 * an MPEG audio layer III frame header, after any ID3v2 tags (which can hold megabytes of cover art, so
 * only their headers are read and their bodies skipped).
 */
export function sniffInlineMedia(base64: string): InlineMediaType | undefined {
  const head = decodeHead(base64, 16);
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE') return 'audio/wav';

  let offset = 0;
  let bytes = head;
  for (let tags = 0; tags < MAX_ID3_TAGS; tags++) {
    bytes = decodeHead(base64, offset + ID3_HEADER_BYTES);
    if (bytes.byteLength < offset + ID3_HEADER_BYTES || ascii(bytes, offset, 3) !== 'ID3') break;
    const size = synchsafe(bytes, offset + 6);
    if (size === undefined) return undefined;
    const hasFooter = ((bytes[offset + 5] ?? 0) & 0x10) !== 0;
    offset += ID3_HEADER_BYTES + size + (hasFooter ? ID3_HEADER_BYTES : 0);
  }
  bytes = decodeHead(base64, offset + MPEG_HEADER_BYTES);
  return isMpegLayer3Header(bytes, offset) ? 'audio/mp3' : undefined;
}

/** ID3v2 sizes are 28-bit integers stored 7 bits per byte; a set high bit means the header is corrupt. */
function synchsafe(bytes: Uint8Array, at: number): number | undefined {
  let size = 0;
  for (let k = 0; k < 4; k++) {
    const byte = bytes[at + k] ?? 0x80;
    if (byte & 0x80) return undefined;
    size = (size << 7) | byte;
  }
  return size;
}

/**
 * Frame sync (11 set bits), a defined MPEG version, layer III, a usable bitrate and sample rate. ADTS AAC
 * shares the sync word but has layer bits 00, so it is not mistaken for MP3.
 */
function isMpegLayer3Header(bytes: Uint8Array, at: number): boolean {
  if (bytes.byteLength < at + MPEG_HEADER_BYTES) return false;
  const b1 = bytes[at + 1] ?? 0;
  const b2 = bytes[at + 2] ?? 0;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0b11;
  return (
    bytes[at] === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    version !== 0b01 &&
    layer === 0b01 &&
    bitrate !== 0xf &&
    sampleRate !== 0b11
  );
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** What the bytes are, for an error message; never echoes them. */
async function describeBytes(base64: string, found: InlineMediaType | undefined): Promise<string> {
  if (found) return NAMES[found];
  const sniffed = await sniffImage(decodeHead(base64, 8 * 1024));
  if (sniffed.ok) return `an image (${sniffed.mediaType})`;
  return sniffed.detected === UNRECOGNISED ? 'in no format Iris recognises' : sniffed.detected;
}

// OpenAI's detail levels, from least to most detail.
const DETAIL_RANK = { low: 0, auto: 1, high: 2 } as const;

/**
 * `image_url.detail` → Gemini's media resolution. The SDK sets it once per request (generationConfig), not
 * per image, so the most detailed request wins: no image gets less detail than its caller asked for. `low`
 * therefore applies only when every image asks for it, and `auto` (or no detail) leaves Gemini's default.
 */
export function mediaResolutionFor(messages: readonly ChatMessage[]): MediaResolution | undefined {
  let wanted: keyof typeof DETAIL_RANK | undefined;
  for (const message of messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type !== 'image_url') continue;
      const detail = part.image_url.detail ?? 'auto';
      if (wanted === undefined || DETAIL_RANK[detail] > DETAIL_RANK[wanted]) wanted = detail;
    }
  }
  if (wanted === 'low') return 'MEDIA_RESOLUTION_LOW';
  if (wanted === 'high') return 'MEDIA_RESOLUTION_HIGH';
  return undefined;
}
