import { invalidRequest } from '@/lib/errors';
import type { ByteBudget } from '@/lib/http/read-capped';
import { canonicalBase64, decodeHead, parseDataUrl } from '@/lib/images/data-url';
import { displayUrl } from '@/lib/images/display-url';
import { imagesTooLarge, safeFetch } from '@/lib/images/safe-fetch';
import { type SupportedImageType, sniffImage, UNRECOGNISED } from '@/lib/images/sniff';

export interface ImageLimits {
  maxBytes: number;
  /** All images of one request together (MAX_TOTAL_IMAGE_BYTES), enforced through the `budget` passed to resolveImage. */
  maxTotalBytes: number;
  fetchTimeoutMs: number;
  allowPrivateAddresses: boolean;
}

export interface ResolvedImage {
  /** Fetched bytes, or a data URL's payload as canonical base64, which the SDK sends on to Gemini unchanged. */
  data: Uint8Array | string;
  mediaType: SupportedImageType;
}

const ACCEPTED = 'Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images';

/**
 * file-type names a format from its first ~4 KB, and a PNG cut off inside a long chunk still reads as a
 * PNG; twice that leaves room without decoding megabytes only to look at the start.
 */
const SNIFF_BYTES = 8 * 1024;

/**
 * One OpenAI `image_url` → image data and a media type Gemini accepts. The type comes from the bytes;
 * what the caller declared (data URL type, Content-Type) is ignored, so a mislabelled PNG still
 * works and a GIF called image/png is still refused. `budget`, shared by the request's images,
 * is charged before a data URL is decoded and as a fetched body streams in.
 */
export async function resolveImage(
  url: string,
  ctx: { limits: ImageLimits; param: string; signal?: AbortSignal; budget?: ByteBudget },
): Promise<ResolvedImage> {
  const { limits, param, budget } = ctx;
  const trimmed = url.trim();

  let data: Uint8Array | string;
  let head: Uint8Array;
  let source = '';
  if (/^data:/i.test(trimmed)) {
    const parsed = parseDataUrl(trimmed, { maxBytes: limits.maxBytes, param });
    if (budget && !budget.take(parsed.byteLength)) throw imagesTooLarge(param, budget);
    // Gemini wants base64 and the caller sent base64: pass it on rather than decode it only for the SDK to re-encode it.
    data = canonicalBase64(parsed);
    head = decodeHead(data, SNIFF_BYTES);
  } else if (/^https?:/i.test(trimmed)) {
    const fetched = await safeFetch(trimmed, {
      maxBytes: limits.maxBytes,
      budget,
      timeoutMs: limits.fetchTimeoutMs,
      allowPrivateAddresses: limits.allowPrivateAddresses,
      signal: ctx.signal,
      param,
    });
    data = fetched.bytes;
    head = fetched.bytes;
    source = ` (${displayUrl(fetched.finalUrl)})`;
    if (data.byteLength === 0) {
      throw invalidRequest(`${param}${source} returned an empty body.`, param, 'image_fetch_failed');
    }
  } else {
    throw invalidRequest(unsupportedUrlMessage(trimmed, param), param, 'invalid_image_url');
  }

  const sniffed = await sniffImage(head);
  if (!sniffed.ok) {
    const what = sniffed.detected === UNRECOGNISED ? 'not in any image format Iris recognises' : sniffed.detected;
    throw invalidRequest(`${imagePart(param)}${source} is ${what}; ${ACCEPTED}.`, param, 'unsupported_image_type');
  }
  return { data, mediaType: sniffed.mediaType };
}

const EXPECTED = 'expected an http(s) URL or a base64 data: URL';

// Enough of the start to tell base64 from a URL with a scheme. Only a prefix is looked at: a pattern run over a
// whole 20-million-character string backtracks through all of it, and V8 gives up with a stack overflow.
const LOOK_AT_CHARS = 256;

/** Says what arrived without echoing it: it may be megabytes of base64. */
function unsupportedUrlMessage(url: string, param: string): string {
  if (url === '') return `${param} is empty; ${EXPECTED}.`;
  const start = url.slice(0, LOOK_AT_CHARS);
  if (url.length >= 16 && /^[A-Za-z0-9+/_\-=\s]+$/.test(start)) {
    return `${param} looks like bare base64 data; ${EXPECTED}, e.g. data:image/png;base64,<data>.`;
  }
  const scheme = /^([a-z][a-z0-9+.-]{0,31}):/i.exec(start)?.[1];
  if (scheme) return `${param} uses the ${scheme.toLowerCase()}: scheme; ${EXPECTED}.`;
  return `${param} is not a URL; ${EXPECTED}.`;
}

/** `messages[0].content[1].image_url.url` → `messages[0].content[1].image_url`: the image, not its address, has a type. */
function imagePart(param: string): string {
  return param.replace(/\.url$/, '');
}
