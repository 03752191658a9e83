/**
 * What to do with an image before upload, decided from facts alone (no DOM), so every rule can be tested in Node:
 * keep it, pass it through (HEIC the browser cannot decode), re-encode it (resize, strip metadata, or just save
 * bytes), or refuse it with a message for the person.
 */

import { formatBytes } from '@/lib/format';
import { type ImageMetadata, mustStripMetadata } from './exif';
import {
  ACCEPTED_IMAGE_TYPES_TEXT,
  type AcceptedImageType,
  isAcceptedImageType,
  isHeifFamily,
  mediaTypeLabel,
} from './media-type';

export type ImagePrepErrorReason = 'unsupported_type' | 'too_large' | 'unreadable';

export type EncodedType = 'image/png' | 'image/jpeg' | 'image/webp';

export type Encoding = { type: 'image/png' } | { type: 'image/jpeg' | 'image/webp'; quality: number };

export interface PlanInput {
  /** The type told from the bytes. */
  mediaType: string;
  byteSize: number;
  /** Size as displayed (EXIF orientation applied); ignored when not decodable. */
  width: number;
  height: number;
  /** Whether this browser could decode the image. */
  decodable: boolean;
  metadata: ImageMetadata;
  maxEdge: number;
  quality: number;
  maxUploadBytes: number;
  /** At most this many bytes (and nothing else to fix), a JPEG or WebP is sent as it is. */
  smallBytes: number;
}

export interface ReencodePlan {
  kind: 'reencode';
  width: number;
  height: number;
  /**
   * Tried in order until one fits the upload limit; later ones are lossier. A PNG's first is lossless PNG, and
   * lossy ones follow only for a PNG that would otherwise be refused as too large.
   */
  encodings: readonly Encoding[];
  /** The result must be used even if larger than the original: pixels must shrink or metadata must go. */
  required: boolean;
}

export type ImagePlan =
  | { kind: 'keep' }
  | { kind: 'passthrough' }
  | ReencodePlan
  | { kind: 'error'; reason: ImagePrepErrorReason; message: string };

/** The size that fits `maxEdge` on the long edge, keeping the aspect ratio; unchanged when it already fits. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const longEdge = Math.max(width, height);
  if (longEdge <= maxEdge) return { width, height };
  const scale = maxEdge / longEdge;
  return {
    width: width >= height ? maxEdge : Math.max(1, Math.round(width * scale)),
    height: height > width ? maxEdge : Math.max(1, Math.round(height * scale)),
  };
}

export function planImage(input: PlanInput): ImagePlan {
  const { mediaType, byteSize, maxUploadBytes } = input;
  if (!isAcceptedImageType(mediaType)) return unsupportedTypeError(mediaType);

  if (!input.decodable) {
    if (!isHeifFamily(mediaType)) {
      return {
        kind: 'error',
        reason: 'unreadable',
        message: 'This image could not be read. The file may be damaged, or too big for this browser to open.',
      };
    }
    // Gemini reads HEIC itself, so a browser that cannot decode it can still send it, just not make it smaller.
    if (byteSize <= maxUploadBytes) return { kind: 'passthrough' };
    return {
      kind: 'error',
      reason: 'too_large',
      message:
        `This ${mediaTypeLabel(mediaType)} image is ${formatBytes(byteSize)}, over the upload limit of ` +
        `${formatBytes(maxUploadBytes)}, and this browser cannot convert it. Save it as JPEG and try again.`,
    };
  }

  const target = fitWithin(input.width, input.height, input.maxEdge);
  const resize = target.width !== input.width || target.height !== input.height;
  const overLimit = byteSize > maxUploadBytes;
  const reencode = (required: boolean): ReencodePlan => ({
    kind: 'reencode',
    ...target,
    encodings: encodingLadder(mediaType, input.quality),
    required,
  });

  // HEIC metadata is not read (see readImageMetadata), so a decodable HEIC is always converted, which strips it.
  if (isHeifFamily(mediaType)) return reencode(true);
  if (resize || mustStripMetadata(input.metadata)) return reencode(true);
  if (overLimit) return reencode(false);
  // A PNG is mostly a screenshot: lossy re-encoding would blur its text and lossless rarely saves anything.
  if (mediaType === 'image/png' || byteSize <= input.smallBytes) return { kind: 'keep' };
  return reencode(false);
}

/** What the browser encodes to, best first. */
function encodingLadder(source: AcceptedImageType, quality: number): Encoding[] {
  const qualities = [...new Set([quality, Math.min(quality, 0.7), Math.min(quality, 0.5)])];
  const jpeg = qualities.map((q): Encoding => ({ type: 'image/jpeg', quality: q }));
  const webp = qualities.map((q): Encoding => ({ type: 'image/webp', quality: q }));
  switch (source) {
    case 'image/png':
      // WebP keeps transparency; JPEG is last for browsers that cannot encode WebP (they get a white background).
      return [{ type: 'image/png' }, ...webp, ...jpeg];
    case 'image/webp':
      return [...webp, ...jpeg];
    default:
      return jpeg;
  }
}

export type EncodingVerdict = 'use-encoded' | 'use-original' | 'try-next';

/**
 * After one encoding: send it, send the original after all, or try the next (lossier) encoding. An optional
 * re-encode must save at least `minSavings` of the bytes, or the untouched original is worth more.
 */
export function judgeEncoding(
  plan: ReencodePlan,
  sizes: { originalBytes: number; encodedBytes: number; maxUploadBytes: number; minSavings: number },
): EncodingVerdict {
  const { originalBytes, encodedBytes, maxUploadBytes, minSavings } = sizes;
  const fits = encodedBytes <= maxUploadBytes;
  if (plan.required) return fits ? 'use-encoded' : 'try-next';
  if (originalBytes <= maxUploadBytes) {
    return fits && encodedBytes <= originalBytes * (1 - minSavings) ? 'use-encoded' : 'use-original';
  }
  return fits ? 'use-encoded' : 'try-next';
}

/** When every encoding stayed over the limit (`smallestBytes` is the best one reached). */
export function stillTooLargeError(
  smallestBytes: number,
  maxUploadBytes: number,
): Extract<ImagePlan, { kind: 'error' }> {
  return {
    kind: 'error',
    reason: 'too_large',
    message:
      `This image is still ${formatBytes(smallestBytes)} after resizing and compressing, over the upload limit of ` +
      `${formatBytes(maxUploadBytes)}. Try a smaller image.`,
  };
}

export function unsupportedTypeError(detected: string | undefined): Extract<ImagePlan, { kind: 'error' }> {
  const what =
    detected === undefined
      ? 'This file is not an image Iris can read'
      : `${mediaTypeLabel(detected)} files cannot be sent`;
  return {
    kind: 'error',
    reason: 'unsupported_type',
    message: `${what}; Iris accepts ${ACCEPTED_IMAGE_TYPES_TEXT}.`,
  };
}
