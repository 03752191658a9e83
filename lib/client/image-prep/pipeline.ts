/**
 * Decode → plan → encode, written once against a small codec interface so the same steps run in the worker
 * (OffscreenCanvas) and on the main thread (the fallback). Returns plain data, which crosses postMessage as is.
 */

import type { ImageMetadata } from './exif';
import type { AcceptedImageType } from './media-type';
import { type Encoding, type ImagePrepErrorReason, judgeEncoding, planImage, stillTooLargeError } from './resize-plan';

export interface DecodedImage {
  /** As displayed: EXIF orientation applied. */
  width: number;
  height: number;
  close(): void;
}

export interface ImageCodec<Image extends DecodedImage> {
  /** null when this browser cannot decode the data. */
  decode(blob: Blob): Promise<Image | null>;
  /** null when this browser cannot encode to `encoding.type` (e.g. WebP in Safari, which quietly writes PNG). */
  encode(image: Image, width: number, height: number, encoding: Encoding): Promise<Blob | null>;
}

export interface PipelineRequest {
  blob: Blob;
  mediaType: AcceptedImageType;
  metadata: ImageMetadata;
  maxEdge: number;
  quality: number;
  maxUploadBytes: number;
  smallBytes: number;
  minSavings: number;
}

export type PipelineResult =
  | {
      ok: true;
      /** The encoded bytes to send, or undefined to send the original file unchanged. */
      encoded: Blob | undefined;
      /** The type of what is sent: `encoded`'s, or the original's as told from its bytes. */
      mediaType: AcceptedImageType;
      passthrough: boolean;
      width: number;
      height: number;
      originalWidth: number;
      originalHeight: number;
    }
  | { ok: false; reason: ImagePrepErrorReason | 'aborted'; message: string };

const ABORTED: PipelineResult = { ok: false, reason: 'aborted', message: 'Preparing the image was cancelled.' };

export async function runPipeline<Image extends DecodedImage>(
  request: PipelineRequest,
  codec: ImageCodec<Image>,
  isCancelled: () => boolean = () => false,
): Promise<PipelineResult> {
  const image = await codec.decode(request.blob);
  try {
    if (isCancelled()) return ABORTED;
    const width = image?.width ?? 0;
    const height = image?.height ?? 0;
    const plan = planImage({
      mediaType: request.mediaType,
      byteSize: request.blob.size,
      width,
      height,
      decodable: image !== null,
      metadata: request.metadata,
      maxEdge: request.maxEdge,
      quality: request.quality,
      maxUploadBytes: request.maxUploadBytes,
      smallBytes: request.smallBytes,
    });
    const original = {
      ok: true as const,
      encoded: undefined,
      mediaType: request.mediaType as AcceptedImageType,
      width,
      height,
      originalWidth: width,
      originalHeight: height,
    };
    switch (plan.kind) {
      case 'error':
        return { ok: false, reason: plan.reason, message: plan.message };
      case 'passthrough':
        return { ...original, passthrough: true };
      case 'keep':
        return { ...original, passthrough: false };
    }
    // Only a reencode plan is left, which implies a decoded image.
    if (image === null) return { ok: false, reason: 'unreadable', message: 'This image could not be read.' };

    let smallest = Number.POSITIVE_INFINITY;
    for (const encoding of plan.encodings) {
      const encoded = await codec.encode(image, plan.width, plan.height, encoding);
      if (isCancelled()) return ABORTED;
      if (encoded === null) continue;
      smallest = Math.min(smallest, encoded.size);
      const verdict = judgeEncoding(plan, {
        originalBytes: request.blob.size,
        encodedBytes: encoded.size,
        maxUploadBytes: request.maxUploadBytes,
        minSavings: request.minSavings,
      });
      if (verdict === 'use-original') return { ...original, passthrough: false };
      if (verdict === 'use-encoded') {
        return {
          ...original,
          passthrough: false,
          encoded,
          mediaType: encoding.type,
          width: plan.width,
          height: plan.height,
        };
      }
    }
    if (smallest === Number.POSITIVE_INFINITY) {
      return { ok: false, reason: 'unreadable', message: 'This browser could not convert the image.' };
    }
    const error = stillTooLargeError(smallest, request.maxUploadBytes);
    return { ok: false, reason: error.reason, message: error.message };
  } finally {
    image?.close();
  }
}
