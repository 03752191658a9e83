import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalBase64, decodeHead, parseDataUrl } from '@/lib/images/data-url';
import { expectApiError, fixture } from './support';

const param = 'messages[0].content[1].image_url.url';
const opts = { maxBytes: 1024 * 1024, param };
const png = fixture('tiny.png');
const b64 = Buffer.from(png).toString('base64');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseDataUrl: accepted', () => {
  it('parses a standard base64 data URL without decoding or copying it', () => {
    const from = vi.spyOn(Buffer, 'from');
    const parsed = parseDataUrl(`data:image/png;base64,${b64}`, opts);
    expect(parsed).toEqual({ declaredType: 'image/png', byteLength: png.byteLength, payload: b64, canonical: true });
    expect(canonicalBase64(parsed)).toBe(parsed.payload);
    expect(from).not.toHaveBeenCalled();
  });

  it('normalises image/jpg and keeps parameters out of the type', () => {
    expect(parseDataUrl(`data:image/jpg;base64,${b64}`, opts).declaredType).toBe('image/jpeg');
    expect(parseDataUrl(`data:IMAGE/PJPEG;name=a.jpg;base64,${b64}`, opts).declaredType).toBe('image/jpeg');
    expect(parseDataUrl(`DATA:image/png;BASE64,${b64}`, opts).declaredType).toBe('image/png');
  });

  it('tolerates whitespace and line wrapping in the payload, and removes it', () => {
    const wrapped = b64.replace(/(.{16})/g, '$1\r\n').concat('\n  ');
    const parsed = parseDataUrl(`data:image/png;base64,${wrapped}`, opts);
    expect(parsed).toMatchObject({ byteLength: png.byteLength, canonical: false });
    expect(canonicalBase64(parsed)).toBe(b64);
  });

  it('accepts the URL-safe alphabet and missing padding, and makes them standard', () => {
    // 0xfb 0xff 0xbf encodes to "+/+/" in the standard alphabet and "-_-_" in the URL-safe one.
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xff]);
    expect(Buffer.from(bytes).toString('base64')).toBe('+/+/+/8=');
    const parsed = parseDataUrl('data:image/png;base64,-_-_-_8', opts);
    expect(parsed).toMatchObject({ byteLength: 5, canonical: false });
    expect(canonicalBase64(parsed)).toBe('+/+/+/8=');
    expect(canonicalBase64(parseDataUrl('data:image/png;base64,+/+/+/8', opts))).toBe('+/+/+/8=');
    expect(canonicalBase64(parseDataUrl('data:image/png;base64,QUE', opts))).toBe('QUE=');
  });

  it('zeroes bits past the data in the last character, which strict decoders refuse', () => {
    for (const [sent, canonical] of [
      ['QR==', 'QQ=='],
      ['QUF=', 'QUE='],
    ] as const) {
      const parsed = parseDataUrl(`data:image/png;base64,${sent}`, opts);
      expect(parsed.canonical).toBe(false);
      expect(canonicalBase64(parsed)).toBe(canonical);
    }
    expect(parseDataUrl('data:image/png;base64,QQ==', opts).canonical).toBe(true);
    expect(parseDataUrl('data:image/png;base64,QUE=', opts).canonical).toBe(true);
  });

  it('accepts a data URL without a media type, since the bytes decide', () => {
    expect(parseDataUrl(`data:;base64,${b64}`, opts).declaredType).toBe('');
    expect(parseDataUrl(`data:base64,${b64}`, opts).declaredType).toBe('');
  });
});

describe('decodeHead', () => {
  const bytes = new Uint8Array(10_000).map((_, i) => (i * 7) % 256);
  const encoded = Buffer.from(bytes).toString('base64');

  it('decodes only the first bytes', () => {
    for (const n of [1, 2, 3, 4, 8192]) {
      expect([...decodeHead(encoded, n)]).toEqual([...bytes.subarray(0, n)]);
    }
  });

  it('decodes all of a shorter image', () => {
    expect(Buffer.from(decodeHead(b64, 8192)).equals(Buffer.from(png))).toBe(true);
  });
});

describe('parseDataUrl: refused', () => {
  it('refuses a data URL that is not base64', async () => {
    const error = await expectApiError(() => parseDataUrl('data:image/svg+xml,<svg/>', opts), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toContain('must be base64');
    expect(error.message).not.toContain('<svg');
    await expectApiError(() => parseDataUrl('data:image/svg+xml;utf8,<svg/>', opts), {
      status: 400,
      code: 'invalid_image_url',
    });
  });

  it('refuses a data URL without a comma', async () => {
    await expectApiError(() => parseDataUrl('data:image/png;base64', opts), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
  });

  it('refuses an empty payload', async () => {
    const error = await expectApiError(() => parseDataUrl('data:image/png;base64,', opts), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toContain('no image data');
    await expectApiError(() => parseDataUrl('data:image/png;base64, \n ', opts), {
      status: 400,
      code: 'invalid_image_url',
    });
  });

  it.each([
    ['a character outside both alphabets', `${b64.slice(0, 10)}*${b64.slice(10)}`, '"*"'],
    ['percent-encoding', `${b64.slice(0, 8)}%2B${b64.slice(8)}`, 'percent'],
    ['mixed alphabets', 'ab+c-d/e', 'mixes'],
    ['data after padding', 'QQ==QUFB', 'padding'],
    ['an impossible length', 'QUFBQ', 'length'],
    ['too much padding', 'QQ===', 'length'],
    ['wrong padding', 'QUE==', 'length'],
    ['a non-ASCII character', 'QUFB\u00e9QUFB', 'U+00E9'],
    ['a valid PNG start followed by garbage', `${b64.slice(0, 64)}!!${b64.slice(64)}`, '"!"'],
  ])('refuses %s as invalid_base64', async (_name, payload, mention) => {
    const error = await expectApiError(() => parseDataUrl(`data:image/png;base64,${payload}`, opts), {
      status: 400,
      code: 'invalid_base64',
      param,
    });
    expect(error.message).toContain(param);
    expect(error.message).toContain(mention);
  });

  it('refuses an oversized payload from its length, before decoding anything', async () => {
    const maxBytes = 10 * 1024 * 1024;
    // 15.2 MB once decoded: 4 base64 characters per 3 bytes.
    const decodedSize = Math.round(15.2 * 1024 * 1024);
    const payload = 'A'.repeat(Math.ceil(decodedSize / 3) * 4);
    const from = vi.spyOn(Buffer, 'from');
    const error = await expectApiError(() => parseDataUrl(`data:image/png;base64,${payload}`, { maxBytes, param }), {
      status: 413,
      code: 'image_too_large',
      param,
    });
    expect(from).not.toHaveBeenCalled();
    expect(error.message).toBe(`The image in ${param} is 15.2 MB; the limit is 10 MB.`);
  });

  it('counts the decoded size exactly, ignoring whitespace and padding', async () => {
    // "QUFBQUE=" is 5 bytes.
    expect(parseDataUrl('data:image/png;base64,QUFB\nQUE=', { maxBytes: 5, param }).byteLength).toBe(5);
    await expectApiError(() => parseDataUrl('data:image/png;base64,QUFB\nQUE=', { maxBytes: 4, param }), {
      status: 413,
      code: 'image_too_large',
    });
  });
});
