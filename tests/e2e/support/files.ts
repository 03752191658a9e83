import { createHash } from 'node:crypto';
import type { JSHandle, Page } from '@playwright/test';
import { imageSize } from 'image-size';

export { makePng } from '../../support/png.ts';

/** A file as the test hands it to the page: its name, type and exact bytes. */
export interface FileSpec {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function dimensionsOf(bytes: Uint8Array): { width: number; height: number } {
  const { width, height } = imageSize(bytes);
  if (!width || !height) throw new Error('image-size could not read the image');
  return { width, height };
}

/** Real `File` objects inside the page, built from bytes the test knows, for synthetic drops and pastes. */
export function filesInPage(page: Page, specs: FileSpec[]): Promise<JSHandle<File[]>> {
  const encoded = specs.map((s) => ({ name: s.name, type: s.mimeType, base64: s.buffer.toString('base64') }));
  return page.evaluateHandle((list) => {
    return list.map(({ name, type, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      return new File([bytes], name, { type, lastModified: Date.now() });
    });
  }, encoded);
}

/**
 * A photo-like JPEG drawn on a canvas in the page (gradients and shapes, so it compresses like a photo rather than
 * to nothing): the browser's own encoder, as a camera roll would give it, without a large fixture on disk.
 */
export async function jpegInPage(
  page: Page,
  options: { name: string; width: number; height: number },
): Promise<{ files: JSHandle<File[]>; bytes: number }> {
  const files = await page.evaluateHandle(async ({ name, width, height }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const sky = context.createLinearGradient(0, 0, width, height);
    sky.addColorStop(0, '#3b82f6');
    sky.addColorStop(0.5, '#f59e0b');
    sky.addColorStop(1, '#10b981');
    context.fillStyle = sky;
    context.fillRect(0, 0, width, height);
    // A fixed pseudo-random scatter, so the file is the same on every run.
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 400; i++) {
      context.fillStyle = `hsla(${Math.floor(next() * 360)}, 70%, 50%, 0.6)`;
      context.beginPath();
      context.arc(next() * width, next() * height, 10 + next() * 120, 0, Math.PI * 2);
      context.fill();
    }
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    if (!blob) throw new Error('the canvas could not encode a JPEG');
    return [new File([blob], name, { type: 'image/jpeg', lastModified: Date.now() })];
  }, options);
  const bytes = await files.evaluate((list) => list[0]?.size ?? 0);
  return { files, bytes };
}
