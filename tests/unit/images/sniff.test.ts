import { describe, expect, it } from 'vitest';
import { normaliseMediaType, sniffImage } from '@/lib/images/sniff';
import { fixture, ftyp } from './support';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffImage: accepted formats', () => {
  it.each([
    ['tiny.png', 'image/png'],
    ['tiny.jpg', 'image/jpeg'],
    ['tiny.webp', 'image/webp'],
  ] as const)('%s is %s', async (name, mediaType) => {
    expect(await sniffImage(fixture(name))).toEqual({ ok: true, mediaType });
  });

  it.each([
    ['heic', ['mif1', 'heic'], 'image/heic'],
    ['heix', ['mif1', 'heix'], 'image/heic'],
    ['hevc', ['msf1', 'hevc'], 'image/heic'],
    ['mif1', ['mif1', 'heic'], 'image/heic'],
    ['mif1', ['mif1', 'miaf'], 'image/heif'],
    ['msf1', ['msf1'], 'image/heif'],
  ])('ftyp major brand %s (compatible %j) is %s', async (major, compatible, mediaType) => {
    expect(await sniffImage(ftyp(major, ...compatible))).toEqual({ ok: true, mediaType });
  });

  it('takes an animated PNG as a PNG', async () => {
    // Signature, IHDR, then acTL before any IDAT is what makes file-type call it APNG.
    const png = fixture('tiny.png');
    const actl = new Uint8Array([0, 0, 0, 8, 0x61, 0x63, 0x54, 0x4c, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const apng = new Uint8Array([...png.subarray(0, 33), ...actl, ...png.subarray(33)]);
    expect(await sniffImage(apng)).toEqual({ ok: true, mediaType: 'image/png' });
  });

  it('ignores a Uint8Array offset into a larger buffer', async () => {
    const png = fixture('tiny.png');
    const padded = new Uint8Array(png.byteLength + 10);
    padded.set(png, 10);
    expect(await sniffImage(padded.subarray(10))).toEqual({ ok: true, mediaType: 'image/png' });
  });
});

describe('sniffImage: rejected formats name what arrived', () => {
  it.each([
    ['GIF', () => fixture('tiny.gif'), 'image/gif'],
    ['AVIF', () => fixture('tiny.avif'), 'image/avif'],
    ['TIFF', () => fixture('tiny.tiff'), 'image/tiff'],
    ['AVIF with a mif1 major brand', () => ftyp('mif1', 'mif1', 'avif', 'miaf'), 'image/avif'],
    ['BMP', () => text(`BM${'\0'.repeat(60)}`), 'image/bmp'],
    [
      'ICO',
      () => new Uint8Array([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 22, 0, 0, 0]),
      'image/x-icon',
    ],
    ['PDF', () => text('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), 'application/pdf'],
    ['SVG', () => text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'), 'image/svg+xml'],
    [
      'SVG with an XML declaration, BOM and doctype',
      () =>
        text(
          '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg></svg>',
        ),
      'image/svg+xml',
    ],
    ['HTML', () => text('<!DOCTYPE html><html><body>Not found</body></html>'), 'text/html'],
    ['an HTML fragment', () => text('\n  <head><title>Login</title></head>'), 'text/html'],
    ['XML', () => text('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'), 'application/xml'],
    ['JSON', () => text('{"error": "not found"}'), 'application/json'],
    ['plain text', () => text('iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB'), 'text/plain'],
    [
      'random bytes',
      () => new Uint8Array([0x00, 0x13, 0x9a, 0xff, 0x01, 0x02, 0x80, 0x7f, 0x00, 0xee, 0x42, 0x10]),
      'unrecognised data',
    ],
    ['nothing', () => new Uint8Array(0), 'empty data'],
  ])('%s → %s', async (_name, bytes, detected) => {
    expect(await sniffImage(bytes())).toEqual({ ok: false, detected });
  });
});

describe('normaliseMediaType', () => {
  it.each([
    ['image/jpg', 'image/jpeg'],
    ['image/pjpeg', 'image/jpeg'],
    ['IMAGE/PNG', 'image/png'],
    ['image/png; charset=binary', 'image/png'],
    [' image/webp ', 'image/webp'],
    ['', ''],
  ])('%j → %j', (declared, normalised) => {
    expect(normaliseMediaType(declared)).toBe(normalised);
  });
});
