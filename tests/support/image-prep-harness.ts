/**
 * Browser-side harness for the image preparation tests and benchmark: bundled with the real prepareImage (see
 * image-prep-bundle.ts) into a page without the Next app, it makes test images in the page and answers with plain
 * data Playwright can carry back to Node.
 */

import { ImagePrepError, type PrepareImageOptions, prepareImage } from '@/lib/client/image-prep/prepare-image';

export interface PhotoSpec {
  width: number;
  height: number;
  /** JPEG segments (e.g. an EXIF APP1) to put right after SOI, as cameras do. */
  segments?: number[][];
  quality?: number;
  name?: string;
}

export interface FileSummary {
  name: string;
  type: string;
  size: number;
  base64: string;
}

export type PrepareOutcome =
  | {
      ok: true;
      ms: number;
      /** The longest the main thread went without running a 4 ms timer while the image was prepared. */
      maxMainThreadStallMs: number;
      action: string;
      mediaType: string;
      width: number;
      height: number;
      originalWidth: number;
      originalHeight: number;
      originalBytes: number;
      sentBytes: number;
      sameFile: boolean;
      file: FileSummary;
    }
  | { ok: false; name: string; reason: string | undefined; message: string };

/** Globals the browser fallbacks depend on; a test hides them to drive prepareImage down another path. */
export type HideableApi = 'Worker' | 'OffscreenCanvas' | 'createImageBitmap';

/** Average colour of a 30 px square near each corner of the decoded image, as a viewer would show it. */
export interface CornerColours {
  width: number;
  height: number;
  topLeft: number[];
  topRight: number[];
  bottomLeft: number[];
  bottomRight: number[];
}

/** A small deterministic generator, so every run draws the same picture. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

function canvas(width: number, height: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const element = document.createElement('canvas');
  element.width = width;
  element.height = height;
  const context = element.getContext('2d');
  if (!context) throw new Error('no 2d context');
  return [element, context];
}

function toBlob(element: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    element.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`could not encode ${type}`))), type, quality),
  );
}

/**
 * A photo-like JPEG: gradients, soft shapes, fine texture and sensor-like noise (so it weighs what a phone photo
 * does), with a red square in the stored top-left corner and a green one in the stored top-right, to see where
 * they end up once orientation is applied.
 */
async function makePhoto(spec: PhotoSpec): Promise<File> {
  const { width, height } = spec;
  const [element, context] = canvas(width, height);
  const next = random(width * 31 + height);
  const sky = context.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, '#3b6ea8');
  sky.addColorStop(0.55, '#c9d8e6');
  sky.addColorStop(0.56, '#5a6b3a');
  sky.addColorStop(1, '#2e3a1c');
  context.fillStyle = sky;
  context.fillRect(0, 0, width, height);
  for (let i = 0; i < 400; i++) {
    const x = next() * width;
    const y = next() * height;
    const r = 20 + next() * width * 0.06;
    const blob = context.createRadialGradient(x, y, 0, x, y, r);
    blob.addColorStop(0, `hsla(${next() * 360}, 60%, ${30 + next() * 40}%, 0.8)`);
    blob.addColorStop(1, 'hsla(0, 0%, 50%, 0)');
    context.fillStyle = blob;
    context.fillRect(x - r, y - r, 2 * r, 2 * r);
  }
  context.lineWidth = 2;
  for (let i = 0; i < 6000; i++) {
    context.strokeStyle = `hsla(${next() * 360}, 40%, ${next() * 100}%, 0.5)`;
    const x = next() * width;
    const y = next() * height;
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + (next() - 0.5) * 60, y + (next() - 0.5) * 60);
    context.stroke();
  }
  context.fillStyle = '#fff';
  context.font = `${Math.round(height / 20)}px sans-serif`;
  context.fillText('Iris image preparation test', width * 0.1, height * 0.3);
  const pixels = context.getImageData(0, 0, width, height);
  const data = pixels.data;
  for (let i = 0; i < data.length; i += 4) {
    const noise = (next() - 0.5) * 24;
    data[i] = (data[i] ?? 0) + noise;
    data[i + 1] = (data[i + 1] ?? 0) + noise;
    data[i + 2] = (data[i + 2] ?? 0) + noise;
  }
  context.putImageData(pixels, 0, 0);
  const marker = Math.round(Math.min(width, height) / 10);
  context.fillStyle = '#ff0000';
  context.fillRect(0, 0, marker, marker);
  context.fillStyle = '#00ff00';
  context.fillRect(width - marker, 0, marker, marker);

  const jpeg = new Uint8Array(await (await toBlob(element, 'image/jpeg', spec.quality ?? 0.92)).arrayBuffer());
  element.width = 0;
  const segments = (spec.segments ?? []).map((s) => Uint8Array.from(s));
  const parts = [jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)];
  return new File(parts, spec.name ?? 'IMG_0001.JPG', { type: 'image/jpeg' });
}

/** A PNG like a screenshot of an app: flat panels and text. */
async function makeScreenshot(width: number, height: number, name = 'Screenshot.png'): Promise<File> {
  const [element, context] = canvas(width, height);
  context.fillStyle = '#f4f4f5';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#18181b';
  context.fillRect(0, 0, Math.round(width / 5), height);
  context.font = '16px sans-serif';
  for (let line = 0; line * 24 < height; line++) {
    context.fillStyle = line % 7 === 0 ? '#4f46e5' : '#27272a';
    context.fillText(`Line ${line}: the quick brown fox jumps over the lazy dog`, width / 5 + 24, 32 + line * 24);
  }
  const png = await toBlob(element, 'image/png');
  element.width = 0;
  return new File([png], name, { type: 'image/png' });
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function summarize(file: File): Promise<FileSummary> {
  return {
    name: file.name,
    type: file.type,
    size: file.size,
    base64: toBase64(new Uint8Array(await file.arrayBuffer())),
  };
}

/** Runs prepareImage with some browser APIs hidden, timing it and watching the main thread meanwhile. */
async function prepare(
  file: File,
  options: PrepareImageOptions = {},
  hide: HideableApi[] = [],
): Promise<PrepareOutcome> {
  const saved = hide.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
  for (const name of hide) Object.defineProperty(globalThis, name, { value: undefined, configurable: true });
  let maxMainThreadStallMs = 0;
  let last = performance.now();
  const heartbeat = setInterval(() => {
    const now = performance.now();
    maxMainThreadStallMs = Math.max(maxMainThreadStallMs, now - last);
    last = now;
  }, 4);
  const started = performance.now();
  try {
    const prepared = await prepareImage(file, options);
    const ms = performance.now() - started;
    return {
      ok: true,
      ms,
      maxMainThreadStallMs: Math.max(maxMainThreadStallMs, performance.now() - last),
      action: prepared.action,
      mediaType: prepared.mediaType,
      width: prepared.width,
      height: prepared.height,
      originalWidth: prepared.originalWidth,
      originalHeight: prepared.originalHeight,
      originalBytes: prepared.originalBytes,
      sentBytes: prepared.sentBytes,
      sameFile: prepared.file === file,
      file: await summarize(prepared.file),
    };
  } catch (error) {
    const reason = error instanceof ImagePrepError ? error.reason : undefined;
    return error instanceof Error
      ? { ok: false, name: error.name, reason, message: error.message }
      : { ok: false, name: typeof error, reason, message: String(error) };
  } finally {
    clearInterval(heartbeat);
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    }
  }
}

/**
 * Several images at once, as when a person drops a handful: the first is aborted after `abortFirstAfterMs` when
 * given, the way removing its thumbnail does.
 */
async function prepareAll(files: File[], abortFirstAfterMs?: number): Promise<PrepareOutcome[]> {
  const abort = new AbortController();
  const runs = files.map((file, i) => prepare(file, i === 0 ? { signal: abort.signal } : {}));
  if (abortFirstAfterMs !== undefined) setTimeout(() => abort.abort(), abortFirstAfterMs);
  return Promise.all(runs);
}

async function cornerColours(file: Blob): Promise<CornerColours> {
  const bitmap = await createImageBitmap(file);
  const [element, context] = canvas(bitmap.width, bitmap.height);
  context.drawImage(bitmap, 0, 0);
  const at = (x: number, y: number) => {
    const { data } = context.getImageData(x, y, 30, 30);
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (data[i + c] ?? 0);
    return sum.map((v) => Math.round(v / (data.length / 4)));
  };
  const { width, height } = bitmap;
  const result = {
    width,
    height,
    topLeft: at(10, 10),
    topRight: at(width - 40, 10),
    bottomLeft: at(10, height - 40),
    bottomRight: at(width - 40, height - 40),
  };
  bitmap.close();
  element.width = 0;
  return result;
}

/** Arbitrary bytes as a File, e.g. a GIF or a HEIC header. */
function fileOf(bytes: number[], name: string, type: string, padTo = 0): File {
  const data = new Uint8Array(Math.max(bytes.length, padTo));
  data.set(bytes);
  return new File([data], name, { type });
}

export const imagePrepHarness = { makePhoto, makeScreenshot, prepare, prepareAll, cornerColours, fileOf, summarize };
export type ImagePrepHarness = typeof imagePrepHarness;

Object.assign(globalThis, { imagePrepHarness });
