/**
 * A small reader of the metadata that decides whether an image must be re-encoded before it leaves the browser:
 * EXIF orientation, and blocks that can carry a location (EXIF with its GPS IFD, XMP, IPTC). It reads only the
 * head of the file and never throws: truncated or garbage input just yields what could be read.
 */

import type { AcceptedImageType } from './media-type';

export interface ImageMetadata {
  /** EXIF Orientation, 1–8; 1 when absent or invalid. */
  orientation: number;
  /** An EXIF block is present: camera, time, often a location. */
  exif: boolean;
  /** The EXIF block points at a GPS IFD. */
  gps: boolean;
  /** XMP (JPEG APP1, WebP XMP chunk), which can hold a location too. */
  xmp: boolean;
  /** IPTC (JPEG APP13, Photoshop), which can name a place. */
  iptc: boolean;
  /**
   * The metadata could not all be read (the head ended inside the segments, or their layout was unexpected):
   * there may be a location in what was not read, so the image is treated as carrying metadata.
   */
  unread: boolean;
}

export const NO_METADATA: ImageMetadata = Object.freeze({
  orientation: 1,
  exif: false,
  gps: false,
  xmp: false,
  iptc: false,
  unread: false,
});

/** Whether the image carries something that must not be uploaded as is (a location, or a rotation to bake in). */
export function mustStripMetadata(metadata: ImageMetadata): boolean {
  return (
    metadata.exif || metadata.gps || metadata.xmp || metadata.iptc || metadata.unread || metadata.orientation !== 1
  );
}

/** The metadata of an image of the given (sniffed) type, from the first bytes of the file. */
export function readImageMetadata(head: Uint8Array, mediaType: AcceptedImageType): ImageMetadata {
  switch (mediaType) {
    case 'image/jpeg':
      return readJpegMetadata(head);
    case 'image/png':
      return readPngMetadata(head);
    case 'image/webp':
      return readWebpMetadata(head);
    default:
      // HEIC keeps EXIF inside ISO-BMFF item boxes; the browser either re-encodes it (stripping everything) or,
      // when it cannot decode it, sends it unchanged anyway, so reading it would change nothing.
      return NO_METADATA;
  }
}

const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
const XMP_IDS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'];
const PHOTOSHOP_ID = 'Photoshop 3.0\0';

/** JPEG: walks the marker segments up to the start of scan, looking at APP1 (EXIF, XMP) and APP13 (IPTC). */
export function readJpegMetadata(bytes: Uint8Array): ImageMetadata {
  // Unread until the walk reaches the image data: stopping anywhere else leaves segments unseen.
  const found = { ...NO_METADATA, unread: true };
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return found;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) break; // lost sync: garbage or an unexpected layout
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) {
      // Image data follows: metadata comes before it, so everything has been seen.
      found.unread = false;
      break;
    }
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    if (length < 2) break;
    const start = offset + 4;
    // A segment cut off by the end of the head is read as far as it goes.
    const end = Math.min(offset + 2 + length, bytes.length);
    if (marker === 0xe1) {
      if (matches(bytes, start, EXIF_ID)) {
        found.exif = true;
        readTiff(bytes.subarray(start + EXIF_ID.length, end), found);
      } else if (XMP_IDS.some((id) => matchesText(bytes, start, id))) {
        found.xmp = true;
      }
    } else if (marker === 0xed && matchesText(bytes, start, PHOTOSHOP_ID)) {
      found.iptc = true;
    }
    offset += 2 + length;
  }
  return found;
}

/**
 * PNG: an eXIf chunk before the image data. Text chunks are left alone on purpose: screenshot tools write them
 * (macOS adds an XMP "Screenshot" note) and re-encoding every screenshot to drop them would be all cost.
 */
export function readPngMetadata(bytes: Uint8Array): ImageMetadata {
  const found = { ...NO_METADATA };
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = u32(bytes, offset, false);
    const type = text(bytes, offset + 4, 4);
    if (type === 'IDAT' || type === 'IEND' || length === undefined) break;
    if (type === 'eXIf') {
      found.exif = true;
      readTiff(bytes.subarray(offset + 8, Math.min(offset + 8 + length, bytes.length)), found);
    }
    offset += 12 + length;
  }
  return found;
}

/** WebP: the VP8X header flags say whether EXIF and XMP chunks exist, even when those chunks sit at the end. */
export function readWebpMetadata(bytes: Uint8Array): ImageMetadata {
  const found = { ...NO_METADATA };
  if (text(bytes, 0, 4) !== 'RIFF' || text(bytes, 8, 4) !== 'WEBP') return found;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const type = text(bytes, offset, 4);
    const length = u32(bytes, offset + 4, true) ?? 0;
    const data = offset + 8;
    if (type === 'VP8X' && data < bytes.length) {
      const flags = bytes[data] ?? 0;
      if (flags & 0x08) found.exif = true;
      if (flags & 0x04) found.xmp = true;
    } else if (type === 'EXIF') {
      found.exif = true;
      // Some writers keep JPEG's "Exif\0\0" prefix inside the chunk.
      const tiff = matches(bytes, data, EXIF_ID) ? data + EXIF_ID.length : data;
      readTiff(bytes.subarray(tiff, Math.min(data + length, bytes.length)), found);
    } else if (type === 'XMP ') {
      found.xmp = true;
    }
    offset = data + length + (length % 2); // chunks are padded to an even length
  }
  return found;
}

const TAG_ORIENTATION = 0x0112;
const TAG_GPS_IFD = 0x8825;
const TYPE_SHORT = 3;

/** A TIFF structure (the body of an EXIF block): IFD0's orientation and GPS pointer, written into `found`. */
function readTiff(tiff: Uint8Array, found: ImageMetadata): void {
  const order = text(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return;
  const little = order === 'II';
  if (u16(tiff, 2, little) !== 42) return;
  const ifd0 = u32(tiff, 4, little);
  if (ifd0 === undefined) return;
  const count = u16(tiff, ifd0, little) ?? 0;
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12;
    const tag = u16(tiff, entry, little);
    const type = u16(tiff, entry + 2, little);
    if (tag === undefined || type === undefined) return; // truncated
    if (tag === TAG_ORIENTATION && type === TYPE_SHORT) {
      const value = u16(tiff, entry + 8, little) ?? 1;
      found.orientation = value >= 1 && value <= 8 ? value : 1;
    } else if (tag === TAG_GPS_IFD) {
      // The pointer alone is enough: a GPS IFD exists to hold a location.
      found.gps = true;
    }
  }
}

function u16(bytes: Uint8Array, offset: number, little: boolean): number | undefined {
  if (offset < 0 || offset + 2 > bytes.length) return undefined;
  const a = bytes[offset] ?? 0;
  const b = bytes[offset + 1] ?? 0;
  return little ? a | (b << 8) : (a << 8) | b;
}

function u32(bytes: Uint8Array, offset: number, little: boolean): number | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = bytes.subarray(offset, offset + 4);
  return (little ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function text(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function matches(bytes: Uint8Array, offset: number, signature: readonly number[]): boolean {
  return offset + signature.length <= bytes.length && signature.every((byte, i) => bytes[offset + i] === byte);
}

function matchesText(bytes: Uint8Array, offset: number, signature: string): boolean {
  return text(bytes, offset, signature.length) === signature;
}
