import { describe, expect, it } from 'vitest';
import { IMAGE_PREP_DEFAULTS } from '@/lib/client/image-prep/defaults';
import { type ImageMetadata, NO_METADATA } from '@/lib/client/image-prep/exif';
import type { AcceptedImageType } from '@/lib/client/image-prep/media-type';
import {
  type DecodedImage,
  type ImageCodec,
  type PipelineRequest,
  runPipeline,
} from '@/lib/client/image-prep/pipeline';
import type { Encoding } from '@/lib/client/image-prep/resize-plan';

const KB = 1024;
const MB = 1024 * 1024;
const GPS: ImageMetadata = { ...NO_METADATA, exif: true, gps: true };

/**
 * A stand-in for the browser's decoder and encoder (which only a browser has; the Playwright spec runs the real
 * ones): it reports a fixed size and "encodes" to blobs of the sizes a test asks for, recording every call.
 */
function fakeCodec(options: {
  size?: { width: number; height: number } | null;
  encodedBytes?: (encoding: Encoding, width: number, height: number) => number | null;
  throwOnEncode?: boolean;
}) {
  const calls: string[] = [];
  let closed = 0;
  const codec: ImageCodec<DecodedImage> = {
    async decode() {
      const size = options.size === undefined ? { width: 4032, height: 3024 } : options.size;
      return size && { ...size, close: () => closed++ };
    },
    async encode(_image, width, height, encoding) {
      calls.push(`${encoding.type}${'quality' in encoding ? `@${encoding.quality}` : ''} ${width}x${height}`);
      if (options.throwOnEncode) throw new Error('encoder crashed');
      const bytes = options.encodedBytes ? options.encodedBytes(encoding, width, height) : 500 * KB;
      return bytes === null ? null : new Blob([new Uint8Array(bytes)], { type: encoding.type });
    },
  };
  return { codec, calls, closed: () => closed };
}

function request(
  mediaType: AcceptedImageType,
  byteSize: number,
  metadata: ImageMetadata = NO_METADATA,
  maxUploadBytes: number = IMAGE_PREP_DEFAULTS.maxUploadBytes,
): PipelineRequest {
  return {
    blob: new Blob([new Uint8Array(byteSize)], { type: mediaType }),
    mediaType,
    metadata,
    maxEdge: IMAGE_PREP_DEFAULTS.maxEdge,
    quality: IMAGE_PREP_DEFAULTS.quality,
    maxUploadBytes,
    smallBytes: IMAGE_PREP_DEFAULTS.smallBytes,
    minSavings: IMAGE_PREP_DEFAULTS.minSavings,
  };
}

describe('runPipeline', () => {
  it('resizes a 12-megapixel photo with GPS once, at the first quality, and closes the decoded image', async () => {
    const fake = fakeCodec({});
    const result = await runPipeline(request('image/jpeg', 3.5 * MB, GPS), fake.codec);
    expect(result).toMatchObject({
      ok: true,
      mediaType: 'image/jpeg',
      passthrough: false,
      width: 2048,
      height: 1536,
      originalWidth: 4032,
      originalHeight: 3024,
    });
    expect(result.ok && result.encoded?.size).toBe(500 * KB);
    expect(result.ok && result.encoded?.type).toBe('image/jpeg');
    expect(fake.calls).toEqual(['image/jpeg@0.85 2048x1536']);
    expect(fake.closed()).toBe(1);
  });

  it('keeps a small clean JPEG without encoding anything', async () => {
    const fake = fakeCodec({ size: { width: 800, height: 600 } });
    const result = await runPipeline(request('image/jpeg', 120 * KB), fake.codec);
    expect(result).toMatchObject({ ok: true, encoded: undefined, passthrough: false, width: 800, height: 600 });
    expect(fake.calls).toEqual([]);
    expect(fake.closed()).toBe(1);
  });

  it('sends the original when an optional re-encode comes out bigger', async () => {
    const fake = fakeCodec({ size: { width: 1600, height: 1200 }, encodedBytes: () => 900 * KB });
    const result = await runPipeline(request('image/jpeg', 700 * KB), fake.codec);
    expect(result).toMatchObject({ ok: true, encoded: undefined, mediaType: 'image/jpeg', width: 1600 });
    expect(fake.calls).toEqual(['image/jpeg@0.85 1600x1200']);
  });

  it('uses a required re-encode (metadata to strip) even when it comes out bigger', async () => {
    const fake = fakeCodec({ size: { width: 640, height: 480 }, encodedBytes: () => 90 * KB });
    const result = await runPipeline(request('image/jpeg', 60 * KB, GPS), fake.codec);
    expect(result).toMatchObject({ ok: true, width: 640, height: 480, originalWidth: 640 });
    expect(result.ok && result.encoded?.size).toBe(90 * KB);
  });

  it('steps down the quality ladder until the result fits the upload limit', async () => {
    const sizes: Record<number, number> = { 0.85: 5 * MB, 0.7: 4.5 * MB, 0.5: 3 * MB };
    const fake = fakeCodec({ encodedBytes: (e) => ('quality' in e ? (sizes[e.quality] ?? 0) : 0) });
    const result = await runPipeline(request('image/jpeg', 9 * MB), fake.codec);
    expect(fake.calls).toEqual(['image/jpeg@0.85 2048x1536', 'image/jpeg@0.7 2048x1536', 'image/jpeg@0.5 2048x1536']);
    expect(result.ok && result.encoded?.size).toBe(3 * MB);
  });

  it('fails with too_large, naming the smallest size reached, when nothing fits', async () => {
    const fake = fakeCodec({ encodedBytes: (e) => ('quality' in e ? 5 * MB + e.quality * MB : 9 * MB) });
    const result = await runPipeline(request('image/jpeg', 9 * MB, NO_METADATA, 4 * MB), fake.codec);
    expect(result).toEqual({
      ok: false,
      reason: 'too_large',
      message:
        'This image is still 5.5 MB after resizing and compressing, over the upload limit of 4 MB. Try a smaller image.',
    });
    expect(fake.closed()).toBe(1);
  });

  it('keeps a big PNG lossless when it fits, and skips WebP where the browser cannot write it', async () => {
    const lossless = fakeCodec({ size: { width: 5000, height: 3000 }, encodedBytes: () => 3 * MB });
    const kept = await runPipeline(request('image/png', 8 * MB), lossless.codec);
    expect(kept).toMatchObject({ ok: true, mediaType: 'image/png', width: 2048, height: 1229 });
    expect(lossless.calls).toEqual(['image/png 2048x1229']);

    // PNG too big, WebP unsupported (null), so JPEG it is.
    const safari = fakeCodec({
      size: { width: 5000, height: 3000 },
      encodedBytes: (e) => (e.type === 'image/png' ? 6 * MB : e.type === 'image/webp' ? null : 2 * MB),
    });
    const converted = await runPipeline(request('image/png', 8 * MB), safari.codec);
    expect(converted).toMatchObject({ ok: true, mediaType: 'image/jpeg', width: 2048 });
    expect(safari.calls).toEqual([
      'image/png 2048x1229',
      'image/webp@0.85 2048x1229',
      'image/webp@0.7 2048x1229',
      'image/webp@0.5 2048x1229',
      'image/jpeg@0.85 2048x1229',
    ]);
  });

  it('passes an undecodable HEIC through, and refuses an undecodable JPEG', async () => {
    const undecodable = fakeCodec({ size: null });
    expect(await runPipeline(request('image/heic', 2 * MB), undecodable.codec)).toMatchObject({
      ok: true,
      passthrough: true,
      encoded: undefined,
      mediaType: 'image/heic',
      width: 0,
    });
    expect(await runPipeline(request('image/jpeg', 2 * MB), undecodable.codec)).toMatchObject({
      ok: false,
      reason: 'unreadable',
    });
    expect(undecodable.calls).toEqual([]);
  });

  it('reports an encoder that can write nothing asked of it as unreadable', async () => {
    const fake = fakeCodec({ encodedBytes: () => null });
    expect(await runPipeline(request('image/jpeg', 3 * MB, GPS), fake.codec)).toEqual({
      ok: false,
      reason: 'unreadable',
      message: 'This browser could not convert the image.',
    });
  });

  it('stops after the step during which it was cancelled', async () => {
    const fake = fakeCodec({});
    let cancelled = false;
    const cancelledWhileDecoding: ImageCodec<DecodedImage> = {
      ...fake.codec,
      decode: (blob) => {
        cancelled = true;
        return fake.codec.decode(blob);
      },
    };
    expect(
      await runPipeline(request('image/jpeg', 3 * MB, GPS), cancelledWhileDecoding, () => cancelled),
    ).toMatchObject({
      ok: false,
      reason: 'aborted',
    });
    expect(fake.calls).toEqual([]);
    expect(fake.closed()).toBe(1);
  });

  it('closes the decoded image when the encoder throws', async () => {
    const fake = fakeCodec({ throwOnEncode: true });
    await expect(runPipeline(request('image/jpeg', 3 * MB, GPS), fake.codec)).rejects.toThrow('encoder crashed');
    expect(fake.closed()).toBe(1);
  });
});
