import { fileTypeFromBuffer } from 'file-type';

/** The formats Gemini takes as image input. */
export type SupportedImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/heic' | 'image/heif';

export type SniffResult = { ok: true; mediaType: SupportedImageType } | { ok: false; detected: string };

export const UNRECOGNISED = 'unrecognised data';

/**
 * file-type's answer → the type Gemini is told. APNG is a PNG whose first frame any PNG decoder
 * shows; HEIF image sequences are still HEIF files (ISO/IEC 23008-12) and keep their family.
 */
const SUPPORTED: ReadonlyMap<string, SupportedImageType> = new Map([
  ['image/png', 'image/png'],
  ['image/apng', 'image/png'],
  ['image/jpeg', 'image/jpeg'],
  ['image/webp', 'image/webp'],
  ['image/heic', 'image/heic'],
  ['image/heic-sequence', 'image/heic'],
  ['image/heif', 'image/heif'],
  ['image/heif-sequence', 'image/heif'],
]);

/** Decide the format from the bytes alone; a caller's declared type is never trusted. */
export async function sniffImage(bytes: Uint8Array): Promise<SniffResult> {
  if (bytes.byteLength === 0) return { ok: false, detected: 'empty data' };

  let mime: string | undefined;
  try {
    mime = (await fileTypeFromBuffer(bytes))?.mime;
  } catch {
    // file-type throws on some malformed containers; that is just "not an image we know".
    mime = undefined;
  }

  if (mime === 'image/heif' || mime === 'image/heif-sequence') mime = refineIsoBrand(bytes) ?? mime;
  if (mime !== undefined) {
    const supported = SUPPORTED.get(mime);
    if (supported) return { ok: true, mediaType: supported };
    // file-type stops at "<?xml"; look further so an SVG is reported as one.
    if (mime === 'application/xml') return { ok: false, detected: sniffText(bytes) ?? mime };
    return { ok: false, detected: mime };
  }
  return { ok: false, detected: sniffText(bytes) ?? UNRECOGNISED };
}

/** 'image/jpg' and 'image/pjpeg' are common aliases of image/jpeg; parameters never matter here. */
export function normaliseMediaType(declared: string): string {
  const type = (declared.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'image/jpg' || type === 'image/pjpeg') return 'image/jpeg';
  return type;
}

/**
 * file-type names a HEIF-family file by its major brand only, and `mif1` is also the major brand
 * of many AVIF files (AV1 inside a HEIF container), which Gemini does not take. The compatible
 * brands in the same ftyp box say which codec is really inside.
 */
function refineIsoBrand(bytes: Uint8Array): string | undefined {
  const brands = ftypBrands(bytes);
  if (brands.some((b) => b === 'avif' || b === 'avis')) return 'image/avif';
  if (brands.some((b) => b === 'heic' || b === 'heix' || b === 'hevc' || b === 'hevx')) return 'image/heic';
  return undefined;
}

/** Compatible brands of a leading ISO-BMFF `ftyp` box (size, 'ftyp', major, minor version, brands…). */
function ftypBrands(bytes: Uint8Array): string[] {
  if (bytes.byteLength < 16) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxSize = Math.min(view.getUint32(0), bytes.byteLength, 4096);
  const brands: string[] = [];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) {
    brands.push(String.fromCharCode(...bytes.subarray(offset, offset + 4)));
  }
  return brands;
}

const TEXT_SAMPLE_BYTES = 4096;
const HTML_TAG = /<(html|head|body|title|meta|script|div|p|a|span|link|style)[\s>/]/;

/**
 * Text formats have no magic number, so file-type cannot name them. A light look at the start is
 * enough to tell the caller "you sent us an SVG / an HTML page / JSON" rather than "unrecognised".
 */
function sniffText(bytes: Uint8Array): string | undefined {
  const sample = bytes.subarray(0, TEXT_SAMPLE_BYTES);
  if (!looksLikeText(sample)) return undefined;
  const text = new TextDecoder('utf-8')
    .decode(sample)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<')) {
    if (/<svg[\s>]/.test(text)) return 'image/svg+xml';
    if (text.startsWith('<!doctype html') || HTML_TAG.test(text)) return 'text/html';
    return 'application/xml';
  }
  if (/^\{\s*("|\})/.test(text) || /^\[\s*[[{"\d\]tfn-]/.test(text)) return 'application/json';
  return 'text/plain';
}

/** UTF-8 (or ASCII) without control characters other than tab, newline, carriage return and form feed. */
function looksLikeText(sample: Uint8Array): boolean {
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  try {
    // A sample cut mid-character is fine; `stream: true` keeps the partial sequence pending.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}
