import { describe, expect, it } from 'vitest';
import { nameForType, sniffMediaType } from '@/lib/client/image-prep/media-type';
import { sniffImage } from '@/lib/images/sniff';
import { fixture, ftyp } from '../images/support';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffMediaType', () => {
  it.each([
    ['tiny.png', 'image/png'],
    ['tiny.jpg', 'image/jpeg'],
    ['tiny.webp', 'image/webp'],
    ['tiny.gif', 'image/gif'],
    ['tiny.tiff', 'image/tiff'],
    ['tiny.avif', 'image/avif'],
  ] as const)('%s is %s', (name, mediaType) => {
    expect(sniffMediaType(fixture(name))).toBe(mediaType);
  });

  it.each([
    [['heic', 'mif1', 'heic'], 'image/heic'],
    [['heix', 'mif1', 'heix'], 'image/heic'],
    [['hevc', 'msf1', 'hevc'], 'image/heic'],
    [['mif1', 'mif1', 'heic'], 'image/heic'],
    [['mif1', 'mif1', 'miaf'], 'image/heif'],
    [['msf1', 'msf1'], 'image/heif'],
    [['mif1', 'mif1', 'avif'], 'image/avif'],
    [['avif', 'mif1'], 'image/avif'],
    [['isom', 'mp41'], 'video/mp4'],
  ])('ftyp %j is %s', (brands, mediaType) => {
    const [major = '', ...compatible] = brands;
    expect(sniffMediaType(ftyp(major, ...compatible))).toBe(mediaType);
  });

  it('agrees with the server on every accepted image it can tell apart', async () => {
    const samples = [
      fixture('tiny.png'),
      fixture('tiny.jpg'),
      fixture('tiny.webp'),
      ftyp('heic', 'mif1', 'heic'),
      ftyp('mif1', 'mif1', 'miaf'),
      ftyp('mif1', 'mif1', 'avif'),
      fixture('tiny.gif'),
    ];
    for (const bytes of samples) {
      const server = await sniffImage(bytes);
      const browser = sniffMediaType(bytes);
      expect(server.ok ? server.mediaType : server.detected).toBe(browser);
    }
  });

  it('names an SVG, and gives up on unknown bytes', () => {
    expect(sniffMediaType(text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'image/svg+xml',
    );
    expect(sniffMediaType(text('hello'))).toBeUndefined();
    expect(sniffMediaType(new Uint8Array())).toBeUndefined();
  });
});

describe('nameForType', () => {
  it.each([
    ['IMG_0001.HEIC', 'image/jpeg', 'IMG_0001.jpg'],
    ['IMG_0001.HEIC', 'image/heic', 'IMG_0001.HEIC'],
    ['holiday.jpeg', 'image/jpeg', 'holiday.jpeg'],
    ['screenshot.png', 'image/png', 'screenshot.png'],
    ['scan.final.png', 'image/webp', 'scan.final.webp'],
    ['photo', 'image/jpeg', 'photo.jpg'],
    ['', 'image/png', 'image.png'],
    ['.png', 'image/jpeg', 'image.jpg'],
    ['shot.jpg', 'image/png', 'shot.png'],
  ] as const)('%j as %s is %j', (name, mediaType, expected) => {
    expect(nameForType(name, mediaType)).toBe(expected);
  });
});
