import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes } from '@/lib/format';
import { normaliseMediaType } from '@/lib/images/sniff';

export interface ParsedDataUrl {
  /** The media type the caller wrote, normalised; informational only, the bytes decide. */
  declaredType: string;
  /** The exact size of the decoded image, worked out from the string. */
  byteLength: number;
  /** The base64 as the caller sent it: a slice of the URL string, which V8 does not copy. */
  payload: string;
  /** Whether `payload` is already what Gemini's inlineData takes: standard alphabet, padded, no whitespace. */
  canonical: boolean;
}

/**
 * Checks `data:<type>[;params];base64,<payload>` and sizes it. The payload is validated and its decoded
 * size worked out from the string itself, so neither bad nor oversized input ever allocates a buffer.
 */
export function parseDataUrl(url: string, opts: { maxBytes: number; param: string }): ParsedDataUrl {
  const { param } = opts;
  if (!/^data:/i.test(url)) throw invalidRequest(`${param} is not a data: URL.`, param, 'invalid_image_url');
  const comma = url.indexOf(',');
  if (comma === -1) {
    throw invalidRequest(
      `${param} is not a valid data URL; expected data:<media type>;base64,<data>.`,
      param,
      'invalid_image_url',
    );
  }

  const header = url.slice('data:'.length, comma).split(';');
  // `data:base64,…` (no type) is a common slip; the bytes decide the type anyway, so accept it.
  const isBase64 = header[header.length - 1]?.trim().toLowerCase() === 'base64';
  if (!isBase64) {
    throw invalidRequest(
      `${param} is a data URL that is not base64-encoded; image data URLs must be base64, as in data:image/png;base64,<data>.`,
      param,
      'invalid_image_url',
    );
  }
  const declaredType = header.length > 1 ? normaliseMediaType(header[0] ?? '') : '';

  const scan = scanBase64(url, comma + 1);
  if (scan.problem) throw invalidRequest(`${param} is not valid base64: ${scan.problem}.`, param, 'invalid_base64');
  if (scan.decodedBytes === 0) {
    throw invalidRequest(`${param} is a data URL with no image data.`, param, 'invalid_image_url');
  }
  if (scan.decodedBytes > opts.maxBytes) {
    throw new ApiError(
      413,
      `The image in ${param} is ${formatBytes(scan.decodedBytes)}; the limit is ${formatBytes(opts.maxBytes)}.`,
      { param, code: 'image_too_large' },
    );
  }
  return { declaredType, byteLength: scan.decodedBytes, payload: url.slice(comma + 1), canonical: scan.canonical };
}

/**
 * The payload in the one form Gemini's inlineData is sure to take. Usually that is the payload itself;
 * wrapped, URL-safe or unpadded base64 is re-encoded, the only case that copies the image.
 */
export function canonicalBase64(parsed: ParsedDataUrl): string {
  if (parsed.canonical) return parsed.payload;
  // Node's decoder skips whitespace, takes either alphabet and needs no padding: exactly what was validated.
  return Buffer.from(parsed.payload, 'base64').toString('base64');
}

/** Decodes only the first `maxBytes` bytes of canonical base64: enough to tell the format, never the whole image. */
export function decodeHead(base64: string, maxBytes: number): Uint8Array {
  const head = Buffer.from(base64.slice(0, Math.ceil(maxBytes / 3) * 4), 'base64');
  return head.byteLength > maxBytes ? head.subarray(0, maxBytes) : head;
}

export interface Base64Scan {
  decodedBytes: number;
  canonical: boolean;
  problem?: string;
}

// Global (stateful) patterns, always used with lastIndex set first: they search from the payload's
// start without copying the string, and V8 scans megabytes with them in milliseconds.
const NOT_BASE64 = /[^A-Za-z0-9+/=\t\n\f\r _-]/g;
const STANDARD_ONLY = /[+/]/g;
const URL_SAFE_ONLY = /[-_]/g;
const WHITESPACE = /[\t\n\f\r ]/g;
const NOT_PADDING = /[^=\t\n\f\r ]/g;

function searchFrom(pattern: RegExp, s: string, from: number): number {
  pattern.lastIndex = from;
  return pattern.exec(s)?.index ?? -1;
}

/** Validates base64 from `start` to the end of `s` and counts what it decodes to, without copying it. */
export function scanBase64(s: string, start: number): Base64Scan {
  const bad = searchFrom(NOT_BASE64, s, start);
  if (bad !== -1) {
    return {
      decodedBytes: 0,
      canonical: false,
      problem: `unexpected character ${describeChar(s, bad)} at position ${bad - start}`,
    };
  }
  const urlSafe = searchFrom(URL_SAFE_ONLY, s, start) !== -1;
  if (urlSafe && searchFrom(STANDARD_ONLY, s, start) !== -1) {
    return { decodedBytes: 0, canonical: false, problem: 'it mixes the standard (+/) and URL-safe (-_) alphabets' };
  }

  const firstPad = s.indexOf('=', start);
  const dataEnd = firstPad === -1 ? s.length : firstPad;
  let padding = 0;
  if (firstPad !== -1) {
    const trailing = searchFrom(NOT_PADDING, s, firstPad);
    if (trailing !== -1) {
      return {
        decodedBytes: 0,
        canonical: false,
        problem: `padding "=" is followed by more data at position ${trailing - start}`,
      };
    }
    for (let i = firstPad; i < s.length && padding <= 2; i++) if (s.charCodeAt(i) === 0x3d) padding++;
  }

  let dataChars = dataEnd - start;
  const wrapped = searchFrom(WHITESPACE, s, start) !== -1;
  // Wrapped payloads are the uncommon case; only they pay for a character-by-character count.
  if (wrapped) {
    for (let i = start; i < dataEnd; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c) dataChars--;
    }
  }

  const expectedPadding = (4 - (dataChars % 4)) % 4;
  if (dataChars % 4 === 1 || padding > 2 || (padding > 0 && padding !== expectedPadding)) {
    return {
      decodedBytes: 0,
      canonical: false,
      problem: `its length (${dataChars} characters, ${padding} padding) is impossible`,
    };
  }
  const canonical = !wrapped && !urlSafe && padding === expectedPadding && zeroTrailingBits(s, dataEnd, dataChars);
  return { decodedBytes: Math.floor((dataChars * 3) / 4), canonical };
}

/**
 * When the last group has 2 or 3 characters, its last character carries bits beyond the data ("QR=="
 * decodes like "QQ=="). Lenient decoders ignore them, strict ones refuse them; canonical base64 has them zero.
 */
function zeroTrailingBits(s: string, dataEnd: number, dataChars: number): boolean {
  const unused = [0, 0, 0x0f, 0x03][dataChars % 4] ?? 0;
  if (unused === 0) return true;
  return (sextet(s.charCodeAt(dataEnd - 1)) & unused) === 0;
}

/** The value of a standard-alphabet base64 character. */
function sextet(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  return c === 0x2b ? 62 : 63;
}

function describeChar(s: string, i: number): string {
  const c = s.codePointAt(i) ?? 0;
  if (c === 0x25) return '"%" (percent-encoding is not accepted)';
  if (c > 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
