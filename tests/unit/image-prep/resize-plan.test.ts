import { describe, expect, it } from 'vitest';
import { IMAGE_PREP_DEFAULTS } from '@/lib/client/image-prep/defaults';
import { type ImageMetadata, NO_METADATA } from '@/lib/client/image-prep/exif';
import {
  fitWithin,
  type ImagePlan,
  judgeEncoding,
  type PlanInput,
  planImage,
  type ReencodePlan,
  stillTooLargeError,
} from '@/lib/client/image-prep/resize-plan';

const KB = 1024;
const MB = 1024 * 1024;
const GPS: ImageMetadata = { ...NO_METADATA, exif: true, gps: true };

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'mediaType' | 'byteSize'>): ImagePlan {
  return planImage({
    width: 1000,
    height: 800,
    decodable: true,
    metadata: NO_METADATA,
    maxEdge: IMAGE_PREP_DEFAULTS.maxEdge,
    quality: IMAGE_PREP_DEFAULTS.quality,
    maxUploadBytes: IMAGE_PREP_DEFAULTS.maxUploadBytes,
    smallBytes: IMAGE_PREP_DEFAULTS.smallBytes,
    ...input,
  });
}

const jpegLadder = [
  { type: 'image/jpeg', quality: 0.85 },
  { type: 'image/jpeg', quality: 0.7 },
  { type: 'image/jpeg', quality: 0.5 },
];
const webpLadder = jpegLadder.map((e) => ({ ...e, type: 'image/webp' }));

describe('planImage: the issue’s cases', () => {
  it('phone photo 4032×3024, 3.5 MB JPEG with GPS → re-encode to 2048 on the long edge', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: 3.5 * MB, width: 4032, height: 3024, metadata: GPS })).toEqual({
      kind: 'reencode',
      width: 2048,
      height: 1536,
      encodings: jpegLadder,
      required: true,
    });
  });

  it('200 KB JPEG without EXIF, within maxEdge → keep', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: 200 * KB, width: 1600, height: 1200 })).toEqual({ kind: 'keep' });
  });

  it('150 KB JPEG with GPS → re-encode at the same size (strip the location), whatever it weighs after', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: 150 * KB, width: 1200, height: 900, metadata: GPS })).toEqual({
      kind: 'reencode',
      width: 1200,
      height: 900,
      encodings: jpegLadder,
      required: true,
    });
  });

  it('small JPEG with Orientation 6 and nothing else → re-encode (bake the rotation)', () => {
    const rotated = { ...NO_METADATA, orientation: 6 };
    expect(
      plan({ mediaType: 'image/jpeg', byteSize: 80 * KB, width: 900, height: 1200, metadata: rotated }),
    ).toMatchObject({ kind: 'reencode', width: 900, height: 1200, required: true });
  });

  it('PNG screenshot 1440×900, 400 KB → keep (no lossy re-encode of text)', () => {
    expect(plan({ mediaType: 'image/png', byteSize: 400 * KB, width: 1440, height: 900 })).toEqual({ kind: 'keep' });
  });

  it('PNG 5000×3000 → resize, lossless PNG first; lossy only as a fallback for the upload limit', () => {
    expect(plan({ mediaType: 'image/png', byteSize: 2 * MB, width: 5000, height: 3000 })).toEqual({
      kind: 'reencode',
      width: 2048,
      height: 1229,
      encodings: [{ type: 'image/png' }, ...webpLadder, ...jpegLadder],
      required: true,
    });
  });

  it('HEIC this browser cannot decode, 2 MB → pass through unchanged', () => {
    expect(plan({ mediaType: 'image/heic', byteSize: 2 * MB, width: 0, height: 0, decodable: false })).toEqual({
      kind: 'passthrough',
    });
  });

  it('HEIC this browser cannot decode, 9 MB → too_large, naming the size and the limit', () => {
    const result = plan({ mediaType: 'image/heic', byteSize: 9 * MB, width: 0, height: 0, decodable: false });
    expect(result).toMatchObject({ kind: 'error', reason: 'too_large' });
    expect(result.kind === 'error' && result.message).toBe(
      'This HEIC image is 9 MB, over the upload limit of 4 MB, and this browser cannot convert it. Save it as JPEG and try again.',
    );
  });

  it('GIF → unsupported_type, saying which types are accepted', () => {
    expect(plan({ mediaType: 'image/gif', byteSize: 10 * KB })).toEqual({
      kind: 'error',
      reason: 'unsupported_type',
      message: 'GIF files cannot be sent; Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images.',
    });
  });
});

describe('planImage: the other rules', () => {
  it('keeps a JPEG of exactly smallBytes and tries an optional re-encode one byte above', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: 300 * KB })).toEqual({ kind: 'keep' });
    expect(plan({ mediaType: 'image/jpeg', byteSize: 300 * KB + 1 })).toMatchObject({
      kind: 'reencode',
      width: 1000,
      height: 800,
      required: false,
    });
  });

  it('honours a configured maxEdge, for portrait images too', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: MB, width: 4032, height: 3024, maxEdge: 1024 })).toMatchObject({
      width: 1024,
      height: 768,
    });
    expect(plan({ mediaType: 'image/jpeg', byteSize: MB, width: 3024, height: 4032 })).toMatchObject({
      width: 1536,
      height: 2048,
      required: true,
    });
  });

  it('keeps an image exactly maxEdge long', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: 250 * KB, width: 2048, height: 2048 })).toEqual({ kind: 'keep' });
  });

  it('converts a HEIC the browser can decode to JPEG, always (its metadata is not read, so it is stripped)', () => {
    expect(plan({ mediaType: 'image/heif', byteSize: 500 * KB, width: 1200, height: 900 })).toEqual({
      kind: 'reencode',
      width: 1200,
      height: 900,
      encodings: jpegLadder,
      required: true,
    });
  });

  it('refuses a JPEG, PNG or WebP the browser cannot decode as unreadable', () => {
    for (const mediaType of ['image/jpeg', 'image/png', 'image/webp']) {
      expect(plan({ mediaType, byteSize: 50 * KB, decodable: false })).toEqual({
        kind: 'error',
        reason: 'unreadable',
        message: 'This image could not be read. The file may be damaged, or too big for this browser to open.',
      });
    }
  });

  it('re-encodes a PNG over the upload limit even within maxEdge, lossless first', () => {
    expect(plan({ mediaType: 'image/png', byteSize: 5 * MB, width: 1920, height: 1080 })).toMatchObject({
      kind: 'reencode',
      width: 1920,
      height: 1080,
      required: false,
      encodings: [{ type: 'image/png' }, ...webpLadder, ...jpegLadder],
    });
  });

  it('re-encodes a PNG with an eXIf location as PNG, and a WebP with metadata as WebP then JPEG', () => {
    expect(plan({ mediaType: 'image/png', byteSize: 100 * KB, metadata: GPS })).toMatchObject({
      required: true,
      encodings: [{ type: 'image/png' }, ...webpLadder, ...jpegLadder],
    });
    expect(
      plan({ mediaType: 'image/webp', byteSize: 100 * KB, metadata: { ...NO_METADATA, xmp: true } }),
    ).toMatchObject({ required: true, encodings: [...webpLadder, ...jpegLadder] });
    expect(plan({ mediaType: 'image/webp', byteSize: 100 * KB })).toEqual({ kind: 'keep' });
  });

  it('builds the quality ladder from the caller’s quality, without repeats', () => {
    expect(plan({ mediaType: 'image/jpeg', byteSize: MB, width: 3000, height: 3000, quality: 0.6 })).toMatchObject({
      encodings: [
        { type: 'image/jpeg', quality: 0.6 },
        { type: 'image/jpeg', quality: 0.5 },
      ],
    });
  });

  it('refuses unknown data and other formats by name', () => {
    expect(plan({ mediaType: 'image/avif', byteSize: KB })).toMatchObject({
      reason: 'unsupported_type',
      message: 'AVIF files cannot be sent; Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images.',
    });
    expect(plan({ mediaType: 'application/x-unknown', byteSize: KB })).toMatchObject({ reason: 'unsupported_type' });
  });
});

describe('judgeEncoding', () => {
  const required: ReencodePlan = { kind: 'reencode', width: 10, height: 10, encodings: [], required: true };
  const optional: ReencodePlan = { ...required, required: false };
  const judge = (p: ReencodePlan, originalBytes: number, encodedBytes: number) =>
    judgeEncoding(p, { originalBytes, encodedBytes, maxUploadBytes: 4 * MB, minSavings: 0.1 });

  it.each([
    ['required, fits, even if bigger than the original', required, 150 * KB, 170 * KB, 'use-encoded'],
    ['required, still over the limit', required, 20 * MB, 5 * MB, 'try-next'],
    [
      'optional, encoded bigger, nothing to strip, no resize → keep the original',
      optional,
      MB,
      1.2 * MB,
      'use-original',
    ],
    ['optional, saves under 10% → keep the original', optional, MB, 0.95 * MB, 'use-original'],
    ['optional, saves 40% → use it', optional, MB, 0.6 * MB, 'use-encoded'],
    [
      'optional, original over the limit, encoded fits (even barely smaller)',
      optional,
      4.2 * MB,
      4 * MB,
      'use-encoded',
    ],
    ['optional, original and encoded over the limit', optional, 6 * MB, 5 * MB, 'try-next'],
  ] as const)('%s', (_, p, original, encoded, verdict) => {
    expect(judge(p, original, encoded)).toBe(verdict);
  });
});

describe('fitWithin', () => {
  it.each([
    [4032, 3024, 2048, 2048, 1536],
    [3024, 4032, 2048, 1536, 2048],
    [2048, 1000, 2048, 2048, 1000],
    [5000, 5000, 2048, 2048, 2048],
    [100_000, 1, 2048, 2048, 1],
    [1, 100_000, 2048, 1, 2048],
    [640, 480, 2048, 640, 480],
  ])('%i×%i within %i → %i×%i', (width, height, maxEdge, w, h) => {
    expect(fitWithin(width, height, maxEdge)).toEqual({ width: w, height: h });
  });
});

describe('stillTooLargeError', () => {
  it('names the smallest size reached and the limit', () => {
    expect(stillTooLargeError(5.25 * MB, 4 * MB)).toEqual({
      kind: 'error',
      reason: 'too_large',
      message:
        'This image is still 5.3 MB after resizing and compressing, over the upload limit of 4 MB. Try a smaller image.',
    });
  });
});
