/**
 * Decoding and encoding with what the browser has: createImageBitmap and OffscreenCanvas (in a worker or on the
 * main thread), else an <img> and a <canvas> element on the main thread.
 */

import type { DecodedImage, ImageCodec } from './pipeline';
import type { Encoding } from './resize-plan';

export interface CanvasImage extends DecodedImage {
  source: CanvasImageSource;
}

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

/** Whether this global scope can do the whole job without a document (what the worker needs). */
export function hasOffscreenSupport(): boolean {
  return typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function';
}

export const canvasCodec: ImageCodec<CanvasImage> = {
  async decode(blob) {
    if (typeof createImageBitmap === 'function') {
      try {
        // Decoding here applies EXIF orientation, so the pixels drawn later are already upright.
        const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
        return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
      } catch {
        // Not decodable by this path; an <img> may still manage (older Safari), where there is a document.
      }
    }
    return typeof document === 'undefined' ? null : decodeWithImageElement(blob);
  },

  async encode(image, width, height, encoding) {
    const canvas = createCanvas(width, height);
    try {
      const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
      if (!context) return null;
      if (encoding.type === 'image/jpeg') {
        // JPEG has no alpha: transparent pixels would turn black.
        context.fillStyle = '#fff';
        context.fillRect(0, 0, width, height);
      }
      context.imageSmoothingEnabled = true;
      context.imageSmoothingQuality = 'high';
      context.drawImage(image.source, 0, 0, width, height);
      const blob = await canvasToBlob(canvas, encoding);
      // A browser that cannot write the type falls back to PNG without saying so; that is not what was asked for.
      return blob && blob.type === encoding.type ? blob : null;
    } finally {
      // Safari holds canvas memory until the size is zeroed, and caps its total.
      canvas.width = 0;
      canvas.height = 0;
    }
  },
};

function createCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function canvasToBlob(canvas: AnyCanvas, encoding: Encoding): Promise<Blob | null> {
  const quality = 'quality' in encoding ? encoding.quality : undefined;
  if ('convertToBlob' in canvas) {
    return canvas.convertToBlob({ type: encoding.type, quality }).catch(() => null);
  }
  return new Promise((resolve) => canvas.toBlob(resolve, encoding.type, quality));
}

async function decodeWithImageElement(blob: Blob): Promise<CanvasImage | null> {
  const url = URL.createObjectURL(blob);
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
  } catch {
    URL.revokeObjectURL(url);
    return null;
  }
  // naturalWidth/Height already follow EXIF orientation (CSS image-orientation defaults to from-image).
  return {
    source: img,
    width: img.naturalWidth,
    height: img.naturalHeight,
    close: () => URL.revokeObjectURL(url),
  };
}
