/**
 * Prepares an image picked in the chat for upload to /api/files: upright (EXIF orientation baked in), without
 * location metadata, no larger than `maxEdge` on its long edge, and re-encoded only when that pays. The heavy work
 * runs in a worker where the browser has OffscreenCanvas, else on the main thread.
 */

import { canvasCodec } from './canvas-codec';
import { IMAGE_PREP_DEFAULTS } from './defaults';
import { readImageMetadata } from './exif';
import { type AcceptedImageType, isAcceptedImageType, nameForType, sniffMediaType } from './media-type';
import { type PipelineRequest, type PipelineResult, runPipeline } from './pipeline';
import { type ImagePrepErrorReason, unsupportedTypeError } from './resize-plan';
import { runInWorker } from './worker-client';

export type { ImagePrepErrorReason } from './resize-plan';

export interface PrepareImageOptions {
  /** Long edge limit in px (default 2048). */
  maxEdge?: number;
  /** JPEG/WebP quality of a re-encode, 0–1 (default 0.85). */
  quality?: number;
  /** The server's upload limit (default 4 MiB). */
  maxUploadBytes?: number;
  signal?: AbortSignal;
}

export interface PreparedImage {
  /** What to upload: its `type` matches its bytes and its name has the matching extension. */
  file: File;
  originalBytes: number;
  sentBytes: number;
  width: number;
  height: number;
  /** As displayed, EXIF orientation applied; 0 for a HEIC this browser cannot decode. */
  originalWidth: number;
  originalHeight: number;
  action: 'unchanged' | 'resized' | 'reencoded' | 'passthrough';
  mediaType: AcceptedImageType;
}

/** Why an image cannot be sent; `message` is written for the person who picked it. */
export class ImagePrepError extends Error {
  override name = 'ImagePrepError';

  constructor(
    readonly reason: ImagePrepErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export async function prepareImage(file: File, options: PrepareImageOptions = {}): Promise<PreparedImage> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (file.size === 0) throw new ImagePrepError('unreadable', 'This file is empty.');

  const head = await readHead(file);
  signal?.throwIfAborted();
  // The bytes decide, as on the server: File.type is empty for HEIC on some systems and only guessed from the name.
  const detected = sniffMediaType(head);
  if (detected === undefined || !isAcceptedImageType(detected)) {
    const error = unsupportedTypeError(detected);
    throw new ImagePrepError(error.reason, error.message);
  }

  const request: PipelineRequest = {
    blob: file,
    mediaType: detected,
    metadata: readImageMetadata(head, detected),
    maxEdge: positiveOr(options.maxEdge, IMAGE_PREP_DEFAULTS.maxEdge),
    quality: qualityOr(options.quality, IMAGE_PREP_DEFAULTS.quality),
    maxUploadBytes: positiveOr(options.maxUploadBytes, IMAGE_PREP_DEFAULTS.maxUploadBytes),
    smallBytes: IMAGE_PREP_DEFAULTS.smallBytes,
    minSavings: IMAGE_PREP_DEFAULTS.minSavings,
  };
  const result = await untilAborted(
    oneAtATime(() => prepareAnywhere(request, signal)),
    signal,
  );
  if (!result.ok) {
    if (result.reason === 'aborted') throw abortError(signal);
    throw new ImagePrepError(result.reason, result.message);
  }
  return toPreparedImage(file, result);
}

async function readHead(file: File): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.slice(0, IMAGE_PREP_DEFAULTS.headBytes).arrayBuffer());
  } catch {
    // NotReadableError: the file was moved or deleted after it was picked, or access was revoked.
    throw new ImagePrepError('unreadable', 'This file could not be read. It may have been moved or deleted.');
  }
}

async function prepareAnywhere(request: PipelineRequest, signal: AbortSignal | undefined): Promise<PipelineResult> {
  const isCancelled = () => signal?.aborted ?? false;
  if (isCancelled()) return { ok: false, reason: 'aborted', message: 'Preparing the image was cancelled.' };
  const fromWorker = await runInWorker(request, signal);
  if (fromWorker) return fromWorker;
  try {
    return await runPipeline(request, canvasCodec, isCancelled);
  } catch {
    // As in the worker: a decoder or encoder failing outright still gets a message for the person.
    return { ok: false, reason: 'unreadable', message: 'This image could not be prepared.' };
  }
}

/**
 * Images are prepared one after another, even when several are added at once: each decoded 12-megapixel photo
 * holds ~48 MB of pixels, and ten at once can kill a phone's tab, while doing them in turn costs little on the
 * two-core machines where it matters. A caller that aborts is answered at once; its slot frees when the work stops.
 */
let queueTail: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = queueTail.then(task, task);
  queueTail = run.catch(() => undefined);
  return run;
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('Preparing the image was cancelled.', 'AbortError');
}

function toPreparedImage(original: File, result: Extract<PipelineResult, { ok: true }>): PreparedImage {
  const { encoded, mediaType } = result;
  const file = encoded
    ? new File([encoded], nameForType(original.name, mediaType), {
        type: mediaType,
        lastModified: original.lastModified,
      })
    : withTypeOf(original, mediaType);
  const resized = result.width !== result.originalWidth || result.height !== result.originalHeight;
  return {
    file,
    originalBytes: original.size,
    sentBytes: file.size,
    width: result.width,
    height: result.height,
    originalWidth: result.originalWidth,
    originalHeight: result.originalHeight,
    action: result.passthrough ? 'passthrough' : !encoded ? 'unchanged' : resized ? 'resized' : 'reencoded',
    mediaType,
  };
}

/** The original bytes, labelled with their real type and a matching name (the same File when they already are). */
function withTypeOf(file: File, mediaType: AcceptedImageType): File {
  const name = nameForType(file.name, mediaType);
  if (file.type === mediaType && file.name === name) return file;
  return new File([file], name, { type: mediaType, lastModified: file.lastModified });
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function qualityOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 && value <= 1 ? value : fallback;
}
