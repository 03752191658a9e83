import { imageSize } from 'image-size';

/**
 * Width and height read from the image's header. EXIF orientation is not applied: these are the stored
 * pixel dimensions (HEIC/HEIF report their primary image).
 */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const { width, height } = imageSize(bytes);
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
