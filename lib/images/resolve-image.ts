import { invalidRequest } from '@/lib/errors';
import { decodeDataUrl } from '@/lib/images/data-url';
import { displayUrl } from '@/lib/images/display-url';
import { safeFetch } from '@/lib/images/safe-fetch';
import { type SupportedImageType, sniffImage, UNRECOGNISED } from '@/lib/images/sniff';

export interface ImageLimits {
  maxBytes: number;
  fetchTimeoutMs: number;
  allowPrivateAddresses: boolean;
}

export interface ResolvedImage {
  data: Uint8Array;
  mediaType: SupportedImageType;
}

const ACCEPTED = 'Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images';

/**
 * One OpenAI `image_url` → bytes and a media type Gemini accepts. The type comes from the bytes;
 * what the caller declared (data URL type, Content-Type) is ignored, so a mislabelled PNG still
 * works and a GIF called image/png is still refused.
 */
export async function resolveImage(
  url: string,
  ctx: { limits: ImageLimits; param: string; signal?: AbortSignal },
): Promise<ResolvedImage> {
  const { limits, param } = ctx;
  const trimmed = url.trim();

  let bytes: Uint8Array;
  let source = '';
  if (/^data:/i.test(trimmed)) {
    bytes = decodeDataUrl(trimmed, { maxBytes: limits.maxBytes, param }).bytes;
  } else if (/^https?:/i.test(trimmed)) {
    const fetched = await safeFetch(trimmed, {
      maxBytes: limits.maxBytes,
      timeoutMs: limits.fetchTimeoutMs,
      allowPrivateAddresses: limits.allowPrivateAddresses,
      signal: ctx.signal,
      param,
    });
    bytes = fetched.bytes;
    source = ` (${displayUrl(fetched.finalUrl)})`;
    if (bytes.byteLength === 0) {
      throw invalidRequest(`${param}${source} returned an empty body.`, param, 'image_fetch_failed');
    }
  } else {
    throw invalidRequest(unsupportedUrlMessage(trimmed, param), param, 'invalid_image_url');
  }

  const sniffed = await sniffImage(bytes);
  if (!sniffed.ok) {
    const what = sniffed.detected === UNRECOGNISED ? 'not in any image format Iris recognises' : sniffed.detected;
    throw invalidRequest(`${imagePart(param)}${source} is ${what}; ${ACCEPTED}.`, param, 'unsupported_image_type');
  }
  return { data: bytes, mediaType: sniffed.mediaType };
}

const EXPECTED = 'expected an http(s) URL or a base64 data: URL';

/** Says what arrived without echoing it: it may be megabytes of base64. */
function unsupportedUrlMessage(url: string, param: string): string {
  if (url === '') return `${param} is empty; ${EXPECTED}.`;
  if (/^[A-Za-z0-9+/_\-=\s]{16,}$/.test(url)) {
    return `${param} looks like bare base64 data; ${EXPECTED}, e.g. data:image/png;base64,<data>.`;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme) return `${param} uses the ${scheme.toLowerCase()}: scheme; ${EXPECTED}.`;
  return `${param} is not a URL; ${EXPECTED}.`;
}

/** `messages[0].content[1].image_url.url` → `messages[0].content[1].image_url`: the image, not its address, has a type. */
function imagePart(param: string): string {
  return param.replace(/\.url$/, '');
}
