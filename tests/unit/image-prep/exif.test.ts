import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  mustStripMetadata,
  NO_METADATA,
  readImageMetadata,
  readJpegMetadata,
  readPngMetadata,
  readWebpMetadata,
} from '@/lib/client/image-prep/exif';
import { exifSegment, exifTiff, segment, spliceAfterSoi } from '@/tests/support/jpeg-exif';
import { fixture } from '../images/support';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const jpeg = fixture('tiny.jpg');

describe('readJpegMetadata', () => {
  it('finds nothing in a JPEG without metadata (a real libvips file)', () => {
    expect(readJpegMetadata(jpeg)).toEqual(NO_METADATA);
    expect(mustStripMetadata(readJpegMetadata(jpeg))).toBe(false);
  });

  it.each(['MM', 'II'] as const)('reads Orientation 6 and the GPS IFD (%s byte order)', (byteOrder) => {
    const photo = spliceAfterSoi(jpeg, exifSegment({ orientation: 6, gps: true, byteOrder }));
    expect(readJpegMetadata(photo)).toEqual({
      orientation: 6,
      exif: true,
      gps: true,
      xmp: false,
      iptc: false,
      unread: false,
    });
  });

  it.each([1, 2, 3, 4, 5, 7, 8])('reads Orientation %i', (orientation) => {
    expect(readJpegMetadata(spliceAfterSoi(jpeg, exifSegment({ orientation }))).orientation).toBe(orientation);
  });

  it('takes an out-of-range Orientation as 1 but still reports the EXIF block', () => {
    const found = readJpegMetadata(spliceAfterSoi(jpeg, exifSegment({ orientation: 9 })));
    expect(found).toMatchObject({ orientation: 1, exif: true, gps: false });
    expect(mustStripMetadata(found)).toBe(true);
  });

  it('reports EXIF without orientation or GPS as metadata to strip (camera, time)', () => {
    const found = readJpegMetadata(spliceAfterSoi(jpeg, exifSegment({})));
    expect(found).toEqual({ ...NO_METADATA, exif: true });
    expect(mustStripMetadata(found)).toBe(true);
  });

  it('finds EXIF after a JFIF APP0 segment, as many editors write it', () => {
    const jfif = segment(0xe0, [...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    const photo = spliceAfterSoi(jpeg, jfif, exifSegment({ orientation: 3, gps: true }));
    expect(readJpegMetadata(photo)).toMatchObject({ orientation: 3, exif: true, gps: true });
  });

  it('skips fill bytes between segments', () => {
    const photo = spliceAfterSoi(jpeg, Uint8Array.from([0xff, 0xff]), exifSegment({ orientation: 8 }));
    expect(readJpegMetadata(photo).orientation).toBe(8);
  });

  it('finds XMP and IPTC blocks, which can hold a location too', () => {
    const xmp = segment(0xe1, ascii('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>'));
    const iptc = segment(0xed, ascii('Photoshop 3.0\0' + '8BIM'));
    const found = readJpegMetadata(spliceAfterSoi(jpeg, xmp, iptc));
    expect(found).toEqual({ ...NO_METADATA, xmp: true, iptc: true });
    expect(mustStripMetadata(found)).toBe(true);
  });

  it('ignores an "Exif" string that appears only inside the image data (after the start of scan)', () => {
    const sos = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xda);
    const late = Uint8Array.from([
      ...jpeg.subarray(0, sos + 2),
      ...exifSegment({ gps: true }),
      ...jpeg.subarray(sos + 2),
    ]);
    expect(readJpegMetadata(late)).toEqual(NO_METADATA);
  });

  it('still reports EXIF when the segment is cut off by the 64 KB head (orientation unread)', () => {
    const app1 = exifSegment({ orientation: 6, gps: true });
    const photo = spliceAfterSoi(jpeg, app1);
    // SOI + marker + length + "Exif\0\0" + the TIFF header only: IFD0 lies beyond the cut.
    const cut = photo.subarray(0, 2 + 4 + 6 + 8);
    expect(readJpegMetadata(cut)).toEqual({ ...NO_METADATA, exif: true, unread: true });
  });

  it('counts a location it could not reach as possibly there: segments past the head are unread, so stripped', () => {
    // A big ICC profile (APP2, in two segments) first pushes the EXIF block with its GPS beyond the 64 KB the reader looks at.
    const icc = new Uint8Array(4 + 40_000);
    icc.set([0xff, 0xe2, (40_002 >> 8) & 0xff, 40_002 & 0xff]);
    const photo = spliceAfterSoi(spliceAfterSoi(jpeg, exifSegment({ orientation: 1, gps: true })), icc, icc);
    const found = readJpegMetadata(photo.subarray(0, 64 * 1024));
    expect(found).toMatchObject({ exif: false, gps: false, unread: true });
    expect(mustStripMetadata(found)).toBe(true);
    // Read whole, the same file shows its GPS and is complete.
    expect(readJpegMetadata(photo)).toMatchObject({ gps: true, unread: false });
  });

  it('reads what it can from a truncated IFD without throwing', () => {
    const photo = spliceAfterSoi(jpeg, exifSegment({ orientation: 6, gps: true }));
    for (let length = 0; length <= 120; length++) {
      expect(() => readJpegMetadata(photo.subarray(0, length))).not.toThrow();
    }
  });

  it('survives garbage: random bytes, a bad IFD offset, a huge entry count', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    };
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: 64 + (round % 50) }, random);
      bytes[0] = 0xff;
      bytes[1] = 0xd8;
      expect(() => readJpegMetadata(bytes)).not.toThrow();
    }
    const tiff = exifTiff({ orientation: 6 });
    const badOffset = tiff.slice();
    badOffset.set([0x7f, 0xff, 0xff, 0xff], 4);
    const app1 = (t: Uint8Array) => segment(0xe1, [...ascii('Exif'), 0, 0, ...t]);
    expect(readJpegMetadata(spliceAfterSoi(jpeg, app1(badOffset)))).toEqual({ ...NO_METADATA, exif: true });
    const hugeCount = tiff.slice();
    hugeCount.set([0xff, 0xff], 8);
    expect(() => readJpegMetadata(spliceAfterSoi(jpeg, app1(hugeCount)))).not.toThrow();
  });

  it('reads nothing from data that is not a JPEG, and says so', () => {
    expect(readJpegMetadata(new Uint8Array())).toEqual({ ...NO_METADATA, unread: true });
    expect(readJpegMetadata(fixture('tiny.png'))).toEqual({ ...NO_METADATA, unread: true });
  });
});

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = Uint8Array.from([...ascii(type), ...data]);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(body, 4);
  view.setUint32(8 + data.length, crc32(body));
  return out;
}

describe('readPngMetadata', () => {
  const png = fixture('tiny.png');
  const withChunkAfterIhdr = (chunk: Uint8Array) =>
    Uint8Array.from([...png.subarray(0, 33), ...chunk, ...png.subarray(33)]);

  it('finds nothing in a plain PNG', () => {
    expect(readPngMetadata(png)).toEqual(NO_METADATA);
  });

  it('reads an eXIf chunk: orientation and GPS', () => {
    const found = readPngMetadata(withChunkAfterIhdr(pngChunk('eXIf', exifTiff({ orientation: 6, gps: true }))));
    expect(found).toEqual({ ...NO_METADATA, orientation: 6, exif: true, gps: true });
  });

  it('leaves text chunks alone: screenshot tools write them and they are no reason to re-encode', () => {
    const xmpNote = pngChunk('iTXt', Uint8Array.from(ascii('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>')));
    expect(readPngMetadata(withChunkAfterIhdr(xmpNote))).toEqual(NO_METADATA);
  });
});

describe('readWebpMetadata', () => {
  const riff = (...chunks: number[][]) => {
    const body = [...ascii('WEBP'), ...chunks.flat()];
    const size = body.length;
    return Uint8Array.from([...ascii('RIFF'), size & 0xff, (size >> 8) & 0xff, 0, 0, ...body]);
  };
  const chunk = (type: string, data: number[]) => {
    const padded = data.length % 2 ? [...data, 0] : data;
    return [...ascii(type), data.length & 0xff, (data.length >> 8) & 0xff, 0, 0, ...padded];
  };

  it('finds nothing in a simple (VP8) WebP', () => {
    expect(readWebpMetadata(fixture('tiny.webp'))).toEqual(NO_METADATA);
  });

  it('reads the VP8X flags even when the EXIF and XMP chunks lie beyond the head', () => {
    const vp8x = chunk('VP8X', [0x08 | 0x04, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(readWebpMetadata(riff(vp8x))).toEqual({ ...NO_METADATA, exif: true, xmp: true });
  });

  it('reads orientation and GPS from an EXIF chunk, with or without the "Exif\\0\\0" prefix', () => {
    const vp8x = chunk('VP8X', [0x08, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    const tiff = [...exifTiff({ orientation: 8, gps: true })];
    const expected = { ...NO_METADATA, orientation: 8, exif: true, gps: true };
    expect(readWebpMetadata(riff(vp8x, chunk('EXIF', tiff)))).toEqual(expected);
    expect(readWebpMetadata(riff(vp8x, chunk('EXIF', [...ascii('Exif'), 0, 0, ...tiff])))).toEqual(expected);
  });
});

describe('readImageMetadata', () => {
  it('dispatches on the sniffed type, and reads nothing for HEIC (always stripped or sent as is)', () => {
    const photo = spliceAfterSoi(jpeg, exifSegment({ orientation: 6 }));
    expect(readImageMetadata(photo, 'image/jpeg').orientation).toBe(6);
    expect(readImageMetadata(photo, 'image/png')).toEqual(NO_METADATA);
    expect(readImageMetadata(photo, 'image/heic')).toEqual(NO_METADATA);
  });
});
