import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ByteBudget } from '@/lib/http/read-capped';
import { type ImageLimits, resolveImage } from '@/lib/images/resolve-image';
import { dataUrl, expectApiError, fixture, ftyp, startServer, type TestServer } from './support';

const param = 'messages[0].content[1].image_url.url';
const limits: ImageLimits = {
  maxBytes: 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024,
  fetchTimeoutMs: 5_000,
  allowPrivateAddresses: true,
};
const png = fixture('tiny.png');
const gif = fixture('tiny.gif');

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/png-labelled-gif':
        return void res.writeHead(200, { 'content-type': 'image/gif' }).end(png);
      case '/gif-labelled-png':
        return void res.writeHead(200, { 'content-type': 'image/png' }).end(gif);
      case '/webp-labelled-octet-stream':
        return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fixture('tiny.webp'));
      case '/html':
        return void res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><title>Sign in</title>');
      case '/empty':
        return void res.writeHead(200, { 'content-type': 'image/png' }).end();
      default:
        return void res.writeHead(404).end();
    }
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('resolveImage: data URLs', () => {
  it('returns the base64 payload itself and the type sniffed from its bytes', async () => {
    const payload = Buffer.from(png).toString('base64');
    const image = await resolveImage(`data:image/gif;base64,${payload}`, { limits, param });
    expect(image).toEqual({ data: payload, mediaType: 'image/png' });
  });

  it('returns wrapped or URL-safe base64 normalised to the standard, padded form', async () => {
    const payload = Buffer.from(fixture('tiny.jpg')).toString('base64');
    const urlSafe = payload.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const wrapped = payload.replace(/(.{60})/g, '$1\n');
    expect(urlSafe).not.toBe(payload);
    for (const sent of [urlSafe, wrapped]) {
      const image = await resolveImage(`data:image/jpeg;base64,${sent}`, { limits, param });
      expect(image).toEqual({ data: payload, mediaType: 'image/jpeg' });
    }
  });

  it('decodes only the head of a large image to sniff it', async () => {
    const bytes = Buffer.concat([png, randomBytes(600 * 1024)]);
    const payload = bytes.toString('base64');
    const from = vi.spyOn(Buffer, 'from');
    const image = await resolveImage(`data:image/png;base64,${payload}`, { limits, param });
    expect(image.mediaType).toBe('image/png');
    expect(image.data).toBe(payload);
    const decoded = from.mock.calls
      .filter(([input]) => typeof input === 'string')
      .map(([input]) => String(input).length);
    expect(decoded.length).toBeGreaterThan(0);
    expect(Math.max(...decoded)).toBeLessThanOrEqual(12 * 1024);
  });

  it('still names a PNG whose image data starts past the decoded head', async () => {
    // Signature and IHDR, then a 20 KB text chunk, then the rest of the file from its first IDAT on.
    const text = Buffer.alloc(12 + 20 * 1024, 0x41);
    text.writeUInt32BE(20 * 1024, 0);
    text.write('tEXt', 4, 'latin1');
    const bytes = Buffer.concat([png.subarray(0, 33), text, png.subarray(33)]);
    const image = await resolveImage(dataUrl('image/png', bytes), { limits, param });
    expect(image.mediaType).toBe('image/png');
  });

  it('refuses a payload that starts as a PNG but is garbage further on, before sniffing', async () => {
    const bytes = Buffer.concat([png, randomBytes(64 * 1024)]).toString('base64');
    const garbage = `${bytes.slice(0, 40 * 1024)}*${bytes.slice(40 * 1024)}`;
    const error = await expectApiError(resolveImage(`data:image/png;base64,${garbage}`, { limits, param }), {
      status: 400,
      code: 'invalid_base64',
      param,
    });
    expect(error.message).toContain(`unexpected character "*" at position ${40 * 1024}`);
  });

  it('lets the bytes win over the declared type', async () => {
    expect((await resolveImage(dataUrl('image/gif', png), { limits, param })).mediaType).toBe('image/png');
    expect((await resolveImage(dataUrl('image/jpg', fixture('tiny.jpg')), { limits, param })).mediaType).toBe(
      'image/jpeg',
    );
    expect((await resolveImage(dataUrl('image/png', ftyp('heic', 'mif1', 'heic')), { limits, param })).mediaType).toBe(
      'image/heic',
    );
  });

  it('refuses a GIF declared as PNG and says what arrived', async () => {
    const error = await expectApiError(resolveImage(dataUrl('image/png', gif), { limits, param }), {
      status: 400,
      code: 'unsupported_image_type',
      param,
    });
    expect(error.message).toBe(
      'messages[0].content[1].image_url is image/gif; Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images.',
    );
  });

  it('names an SVG and does not echo the data', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>');
    const error = await expectApiError(resolveImage(dataUrl('image/svg+xml', svg), { limits, param }), {
      status: 400,
      code: 'unsupported_image_type',
    });
    expect(error.message).toContain('is image/svg+xml');
    expect(error.message).not.toContain('script');
  });

  it('describes random bytes as unrecognised', async () => {
    const error = await expectApiError(
      resolveImage(dataUrl('image/png', new Uint8Array([1, 2, 3, 250, 0, 9, 8, 7])), { limits, param }),
      { status: 400, code: 'unsupported_image_type' },
    );
    expect(error.message).toContain('not in any image format Iris recognises');
  });

  it('applies the size limit before decoding anything', async () => {
    const url = dataUrl('image/png', png);
    const from = vi.spyOn(Buffer, 'from');
    await expectApiError(resolveImage(url, { limits: { ...limits, maxBytes: 10 }, param }), {
      status: 413,
      code: 'image_too_large',
      param,
    });
    expect(from).not.toHaveBeenCalled();
  });

  it('charges the shared budget from the size, before decoding, and refuses what does not fit', async () => {
    const budget = new ByteBudget(png.byteLength * 2 - 1);
    await resolveImage(dataUrl('image/png', png), { limits, param, budget });
    expect(budget.remaining).toBe(png.byteLength - 1);
    const url = dataUrl('image/png', png);
    const other = 'messages[0].content[2].image_url.url';
    const from = vi.spyOn(Buffer, 'from');
    const error = await expectApiError(resolveImage(url, { limits, param: other, budget }), {
      status: 413,
      code: 'images_too_large',
      param: other,
    });
    expect(error.message).toBe(
      `The images of this request add up to more than ${png.byteLength * 2 - 1} bytes (MAX_TOTAL_IMAGE_BYTES); send fewer or smaller images.`,
    );
    expect(from).not.toHaveBeenCalled();
    // A refused image takes nothing from what is left.
    expect(budget.remaining).toBe(png.byteLength - 1);
  });
});

describe('resolveImage: http URLs', () => {
  it('lets the bytes win over a mismatching Content-Type', async () => {
    const image = await resolveImage(`${server.origin}/png-labelled-gif`, { limits, param });
    expect(image.mediaType).toBe('image/png');
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(image.data as Uint8Array).equals(Buffer.from(png))).toBe(true);
    const webp = await resolveImage(`${server.origin}/webp-labelled-octet-stream`, { limits, param });
    expect(webp.mediaType).toBe('image/webp');
  });

  it('refuses a GIF served as image/png, naming the URL', async () => {
    const error = await expectApiError(resolveImage(`${server.origin}/gif-labelled-png`, { limits, param }), {
      status: 400,
      code: 'unsupported_image_type',
      param,
    });
    expect(error.message).toBe(
      `messages[0].content[1].image_url (${server.origin}/gif-labelled-png) is image/gif; Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images.`,
    );
  });

  it('says an HTML page arrived', async () => {
    const error = await expectApiError(resolveImage(`${server.origin}/html`, { limits, param }), {
      status: 400,
      code: 'unsupported_image_type',
    });
    expect(error.message).toContain('is text/html');
  });

  it('reports an empty body', async () => {
    await expectApiError(resolveImage(`${server.origin}/empty`, { limits, param }), {
      status: 400,
      code: 'image_fetch_failed',
      param,
    });
  });

  it('refuses private addresses unless allowed', async () => {
    await expectApiError(
      resolveImage(`${server.origin}/png-labelled-gif`, { limits: { ...limits, allowPrivateAddresses: false }, param }),
      { status: 400, code: 'image_url_blocked', param },
    );
  });
});

describe('resolveImage: neither http(s) nor data', () => {
  it('explains that bare base64 needs a data: prefix, without echoing it', async () => {
    const bare = Buffer.from(png).toString('base64');
    const error = await expectApiError(resolveImage(bare, { limits, param }), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toContain('expected an http(s) URL or a base64 data: URL');
    expect(error.message).not.toContain(bare.slice(0, 16));
  });

  it.each([
    ['ftp://example.com/cat.png', 'ftp:'],
    ['file:///etc/passwd', 'file:'],
    ['', 'is empty'],
    ['cat.png', 'not a URL'],
  ])('refuses %j', async (url, mention) => {
    const error = await expectApiError(resolveImage(url, { limits, param }), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toContain(mention);
    expect(error.message).toContain('expected an http(s) URL or a base64 data: URL');
  });
});
