/**
 * Builds the metadata blocks a phone camera writes (EXIF with Orientation and a GPS IFD), so tests can put them
 * into real JPEGs. Plain byte arrays: the unit tests use them in Node, the browser tests pass them into the page.
 */

export interface ExifOptions {
  /** EXIF Orientation tag value; omitted when undefined. */
  orientation?: number;
  /** Adds a GPS IFD with a latitude and longitude. */
  gps?: boolean;
  /** Byte order of the TIFF structure: 'MM' (big-endian, most cameras) or 'II' (little-endian). */
  byteOrder?: 'MM' | 'II';
}

const TYPE_ASCII = 2;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Inline value bytes (≤ 4) or the bytes stored after the IFD. */
  data: number[];
}

/** The TIFF structure that follows "Exif\0\0" in an APP1 segment. */
export function exifTiff(options: ExifOptions): Uint8Array {
  const little = (options.byteOrder ?? 'MM') === 'II';
  const u16 = (v: number) => (little ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
  const u32 = (v: number) =>
    little
      ? [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]
      : [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  const rationals = (values: number[][]) => values.flatMap(([n = 0, d = 1]) => [...u32(n), ...u32(d)]);
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0)).concat(0);

  const ifd0: Entry[] = [{ tag: 0x010f, type: TYPE_ASCII, count: 10, data: ascii('IrisPhone') }];
  if (options.orientation !== undefined) {
    ifd0.push({ tag: 0x0112, type: TYPE_SHORT, count: 1, data: u16(options.orientation) });
  }
  const gpsIfd: Entry[] = options.gps
    ? [
        { tag: 0x0001, type: TYPE_ASCII, count: 2, data: ascii('N') },
        {
          tag: 0x0002,
          type: TYPE_RATIONAL,
          count: 3,
          data: rationals([
            [48, 1],
            [51, 1],
            [2400, 100],
          ]),
        },
        { tag: 0x0003, type: TYPE_ASCII, count: 2, data: ascii('E') },
        {
          tag: 0x0004,
          type: TYPE_RATIONAL,
          count: 3,
          data: rationals([
            [2, 1],
            [17, 1],
            [4000, 100],
          ]),
        },
      ]
    : [];
  // The pointer's value is patched in once the GPS IFD's offset is known.
  if (options.gps) ifd0.push({ tag: 0x8825, type: TYPE_LONG, count: 1, data: u32(0) });

  const out: number[] = [...(little ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8)];
  const writeIfd = (entries: Entry[]): number => {
    const start = out.length;
    let extra = start + 2 + entries.length * 12 + 4;
    const tail: number[] = [];
    out.push(...u16(entries.length));
    for (const entry of entries) {
      out.push(...u16(entry.tag), ...u16(entry.type), ...u32(entry.count));
      if (entry.data.length <= 4) {
        out.push(...entry.data, ...new Array<number>(4 - entry.data.length).fill(0));
      } else {
        out.push(...u32(extra));
        tail.push(...entry.data);
        extra += entry.data.length;
      }
    }
    out.push(...u32(0), ...tail);
    return start;
  };
  writeIfd(ifd0);
  if (options.gps) {
    const gpsOffset = writeIfd(gpsIfd);
    const pointerEntry = 8 + 2 + (ifd0.length - 1) * 12;
    out.splice(pointerEntry + 8, 4, ...u32(gpsOffset));
  }
  return Uint8Array.from(out);
}

/** A JPEG APP1 segment: marker, length, "Exif\0\0", TIFF. */
export function exifSegment(options: ExifOptions): Uint8Array {
  const tiff = exifTiff(options);
  const length = 2 + 6 + tiff.length;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]);
}

/** A JPEG segment with the given marker and payload. */
export function segment(marker: number, payload: ArrayLike<number>): Uint8Array {
  const length = 2 + payload.length;
  return Uint8Array.from([0xff, marker, length >> 8, length & 0xff, ...Array.from(payload)]);
}

/** `jpeg` with `segments` inserted right after its SOI marker, where cameras put EXIF. */
export function spliceAfterSoi(jpeg: Uint8Array, ...segments: Uint8Array[]): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const parts = [jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Whether `bytes` contain an EXIF block anywhere ("Exif\0\0"), the way a privacy check would look for one. */
export function containsExif(bytes: Uint8Array): boolean {
  for (let i = 0; i + 6 <= bytes.length; i++) {
    if (
      bytes[i] === 0x45 &&
      bytes[i + 1] === 0x78 &&
      bytes[i + 2] === 0x69 &&
      bytes[i + 3] === 0x66 &&
      bytes[i + 4] === 0 &&
      bytes[i + 5] === 0
    ) {
      return true;
    }
  }
  return false;
}
