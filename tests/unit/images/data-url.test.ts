import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeDataUrl } from '@/lib/images/data-url';
import { expectApiError, fixture } from './support';

const param = 'messages[0].content[1].image_url.url';
const opts = { maxBytes: 1024 * 1024, param };
const png = fixture('tiny.png');
const b64 = Buffer.from(png).toString('base64');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('decodeDataUrl: accepted', () => {
  it('decodes a standard base64 data URL', () => {
    const decoded = decodeDataUrl(`data:image/png;base64,${b64}`, opts);
    expect(decoded.declaredType).toBe('image/png');
    expect(Buffer.from(decoded.bytes).equals(Buffer.from(png))).toBe(true);
    // Bytes that own their memory, not a view into Node's shared Buffer pool.
    expect(decoded.bytes.byteOffset).toBe(0);
    expect(decoded.bytes.buffer.byteLength).toBe(png.byteLength);
  });

  it('normalises image/jpg and keeps parameters out of the type', () => {
    expect(decodeDataUrl(`data:image/jpg;base64,${b64}`, opts).declaredType).toBe('image/jpeg');
    expect(decodeDataUrl(`data:IMAGE/PJPEG;name=a.jpg;base64,${b64}`, opts).declaredType).toBe('image/jpeg');
    expect(decodeDataUrl(`DATA:image/png;BASE64,${b64}`, opts).declaredType).toBe('image/png');
  });

  it('tolerates whitespace and line wrapping in the payload', () => {
    const wrapped = b64.replace(/(.{16})/g, '$1\r\n').concat('\n  ');
    const decoded = decodeDataUrl(`data:image/png;base64,${wrapped}`, opts);
    expect(Buffer.from(decoded.bytes).equals(Buffer.from(png))).toBe(true);
  });

  it('accepts the URL-safe alphabet and missing padding', () => {
    // 0xfb 0xff 0xbf encodes to "+/+/" in the standard alphabet and "-_-_" in the URL-safe one.
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xff]);
    expect(Buffer.from(bytes).toString('base64')).toBe('+/+/+/8=');
    const decoded = decodeDataUrl('data:image/png;base64,-_-_-_8', opts);
    expect([...decoded.bytes]).toEqual([...bytes]);
  });

  it('accepts a data URL without a media type, since the bytes decide', () => {
    expect(decodeDataUrl(`data:;base64,${b64}`, opts).declaredType).toBe('');
    expect(decodeDataUrl(`data:base64,${b64}`, opts).declaredType).toBe('');
  });
});

describe('decodeDataUrl: refused', () => {
  it('refuses a data URL that is not base64', async () => {
    const error = await expectApiError(() => decodeDataUrl('data:image/svg+xml,<svg/>', opts), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toContain('must be base64');
    expect(error.message).not.toContain('<svg');
    await expectApiError(() => decodeDataUrl('data:image/svg+xml;utf8,<svg/>', opts), {
      status: 400,
      code: 'invalid_image_url',
    });
  });

  it('refuses a data URL without a comma', async () => {
    await expectApiError(() => decodeDataUrl('data:image/png;base64', opts), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
  });

  it('refuses an empty payload', async () => {
    const error = await expectApiError(() => decodeDataUrl('data:image/png;base64,', opts), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toContain('no image data');
    await expectApiError(() => decodeDataUrl('data:image/png;base64, \n ', opts), {
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
  ])('refuses %s as invalid_base64', async (_name, payload, mention) => {
    const error = await expectApiError(() => decodeDataUrl(`data:image/png;base64,${payload}`, opts), {
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
    const error = await expectApiError(() => decodeDataUrl(`data:image/png;base64,${payload}`, { maxBytes, param }), {
      status: 413,
      code: 'image_too_large',
      param,
    });
    expect(from).not.toHaveBeenCalled();
    expect(error.message).toBe(`The image in ${param} is 15.2 MB; the limit is 10 MB.`);
  });

  it('counts the decoded size exactly, ignoring whitespace and padding', async () => {
    // 8 characters + "=" decode to exactly 6 bytes... "QUFBQUE=" is 5 bytes.
    expect(decodeDataUrl('data:image/png;base64,QUFB\nQUE=', { maxBytes: 5, param }).bytes.byteLength).toBe(5);
    await expectApiError(() => decodeDataUrl('data:image/png;base64,QUFB\nQUE=', { maxBytes: 4, param }), {
      status: 413,
      code: 'image_too_large',
    });
  });
});
