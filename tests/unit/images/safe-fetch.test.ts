import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/errors';
import { ByteBudget } from '@/lib/http/read-capped';
import { type SafeFetchOptions, safeFetch } from '@/lib/images/safe-fetch';
import { dnsError, expectApiError, fixture, scriptedLookup, startServer, type TestServer } from './support';

const param = 'messages[0].content[1].image_url.url';
const png = fixture('tiny.png');

let server: TestServer;
let lastHeaders: IncomingHttpHeaders = {};
/** Set by the streaming test: how far the server got before the client hung up. */
const stream: { outcome?: Promise<{ sent: number; finished: boolean }> } = {};
const STREAM_TOTAL = 64 * 1024 * 1024;

beforeAll(async () => {
  server = await startServer((req, res) => {
    lastHeaders = req.headers;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const redirect = /^\/redirect\/(\d+)$/.exec(path);
    if (redirect) {
      const n = Number(redirect[1]);
      if (n === 0) return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      return void res.writeHead(302, { location: `/redirect/${n - 1}` }).end('moved');
    }
    switch (path) {
      case '/png':
        return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength }).end(png);
      case '/to-ftp':
        return void res.writeHead(302, { location: 'ftp://example.com/cat.png' }).end();
      case '/to-data':
        return void res.writeHead(301, { location: 'data:image/png;base64,AAAA' }).end();
      case '/to-credentials':
        return void res.writeHead(302, { location: 'http://bob:hunter2@example.com/cat.png' }).end();
      case '/to-file':
        return void res.writeHead(307, { location: 'file:///etc/passwd' }).end();
      case '/missing':
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': 50 * 1024 * 1024 });
        return void res.write(png);
      case '/stream': {
        res.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(16 * 1024, 7);
        let sent = 0;
        stream.outcome = new Promise((resolve) =>
          res.on('close', () => resolve({ sent, finished: res.writableFinished })),
        );
        const pump = () => {
          while (sent < STREAM_TOTAL) {
            sent += chunk.byteLength;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/exactly-at-cap':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(Buffer.alloc(600, 1));
        return void res.end(Buffer.alloc(400, 2));
      case '/hang':
        return; // never answers
      case '/stall-body':
        res.writeHead(200, { 'content-type': 'image/png' });
        return void res.write(png.subarray(0, 10)); // and never finishes
      default:
        return void res.writeHead(500).end();
    }
  });
});

afterAll(async () => {
  await server.close();
});

function options(overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return { maxBytes: 1024 * 1024, timeoutMs: 5_000, allowPrivateAddresses: true, param, ...overrides };
}

describe('safeFetch: addresses, with private addresses refused', () => {
  it('refuses a literal 127.0.0.1 before connecting', async () => {
    const { lookup, calls } = scriptedLookup(['93.184.215.14']);
    const error = await expectApiError(
      safeFetch(`${server.origin}/png`, options({ allowPrivateAddresses: false, lookup })),
      { status: 400, code: 'image_url_blocked', param },
    );
    expect(error.message).toContain('resolves to a private or reserved address');
    expect(error.message).toContain('127.0.0.1 is a loopback address');
    expect(calls).toHaveLength(0);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['decimal', 'http://2130706433:PORT/png'],
    ['octal', 'http://0177.0.0.1:PORT/png'],
    ['hex', 'http://0x7f000001:PORT/png'],
    ['dotted hex', 'http://0x7f.1:PORT/png'],
    ['short', 'http://127.1:PORT/png'],
    ['trailing dot', 'http://127.0.0.1.:PORT/png'],
    ['zero', 'http://0:PORT/png'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:PORT/png'],
    ['IPv6 loopback', 'http://[::1]:PORT/png'],
    ['IPv4-compatible IPv6', 'http://[::127.0.0.1]:PORT/png'],
    ['NAT64 of loopback', 'http://[64:ff9b::127.0.0.1]:PORT/png'],
    ['metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['localhost', 'http://localhost:PORT/png'],
    ['LOCALHOST.', 'http://LOCALHOST.:PORT/png'],
    ['a .localhost name', 'http://img.localhost:PORT/png'],
  ])('refuses the %s spelling without resolving or connecting', async (_name, template) => {
    const { lookup, calls } = scriptedLookup(['93.184.215.14']);
    const url = template.replace('PORT', String(server.port));
    await expectApiError(safeFetch(url, options({ allowPrivateAddresses: false, lookup })), {
      status: 400,
      code: 'image_url_blocked',
      param,
    });
    expect(calls).toHaveLength(0);
    expect(server.connections).toBe(0);
  });

  it('refuses a name that resolves to a private address', async () => {
    const { lookup, calls } = scriptedLookup(['10.1.2.3']);
    const error = await expectApiError(
      safeFetch(`http://intranet.example:${server.port}/png`, options({ allowPrivateAddresses: false, lookup })),
      { status: 400, code: 'image_url_blocked', param },
    );
    // The resolved address is not disclosed: the caller learns only that it is not public.
    expect(error.message).not.toContain('10.1.2.3');
    expect(calls).toHaveLength(1);
  });

  it('refuses a name if any one of its addresses is private', async () => {
    const { lookup } = scriptedLookup(['93.184.215.14', '127.0.0.1']);
    await expectApiError(
      safeFetch(`http://mixed.example:${server.port}/png`, options({ allowPrivateAddresses: false, lookup })),
      { status: 400, code: 'image_url_blocked' },
    );
    expect(server.connections).toBe(0);
  });

  it('refuses at connect time when DNS rebinds between the check and the connection', async () => {
    // First answer (the early check) is public; the second (the socket's own lookup) is loopback.
    const { lookup, calls } = scriptedLookup(['93.184.215.14'], ['127.0.0.1']);
    await expectApiError(
      safeFetch(`http://rebind.example:${server.port}/png`, options({ allowPrivateAddresses: false, lookup })),
      { status: 400, code: 'image_url_blocked', param },
    );
    expect(calls.map((c) => c.hostname)).toEqual(['rebind.example', 'rebind.example']);
    expect(server.connections).toBe(0);
    expect(server.requests).toEqual([]);
  });

  it('reports a name that does not resolve', async () => {
    const { lookup } = scriptedLookup(dnsError('ENOTFOUND', 'nowhere.example'));
    const error = await expectApiError(
      safeFetch('http://nowhere.example/cat.png', options({ allowPrivateAddresses: false, lookup })),
      { status: 400, code: 'image_fetch_failed', param },
    );
    expect(error.message).toContain('could not resolve nowhere.example');
  });
});

describe('safeFetch: URL rules', () => {
  it.each([
    'ftp://example.com/cat.png',
    'file:///etc/passwd',
    'gopher://example.com/',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s as invalid_image_url', async (url) => {
    await expectApiError(safeFetch(url, options()), { status: 400, code: 'invalid_image_url', param });
  });

  it('refuses credentials in the URL without repeating them', async () => {
    const error = await expectApiError(safeFetch(`http://alice:s3cret@127.0.0.1:${server.port}/png`, options()), {
      status: 400,
      code: 'invalid_image_url',
    });
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('alice');
  });
});

describe('safeFetch: HTTP, with private addresses allowed (test servers only)', () => {
  it('fetches an image, sending a user-agent and an image accept header', async () => {
    const result = await safeFetch(`${server.origin}/png`, options());
    expect(Buffer.from(result.bytes).equals(Buffer.from(png))).toBe(true);
    expect(result.finalUrl).toBe(`${server.origin}/png`);
    expect(lastHeaders['user-agent']).toBe('Iris-ImageFetcher/1.0');
    expect(lastHeaders.accept).toMatch(/^image\//);
  });

  it('resolves names through the lookup at connect time', async () => {
    const { lookup, calls } = scriptedLookup(['127.0.0.1']);
    const result = await safeFetch(`http://images.example:${server.port}/png`, options({ lookup }));
    expect(result.bytes.byteLength).toBe(png.byteLength);
    expect(calls).toHaveLength(1);
  });

  it('follows up to five redirects', async () => {
    const before = server.requests.length;
    const result = await safeFetch(`${server.origin}/redirect/5`, options());
    expect(result.finalUrl).toBe(`${server.origin}/redirect/0`);
    expect(result.bytes.byteLength).toBe(png.byteLength);
    expect(server.requests.length - before).toBe(6);
  });

  it('refuses a sixth redirect', async () => {
    const error = await expectApiError(safeFetch(`${server.origin}/redirect/6`, options()), {
      status: 400,
      code: 'too_many_redirects',
      param,
    });
    expect(error.message).toContain('more than 5');
  });

  it('honours a smaller maxRedirects', async () => {
    await expectApiError(safeFetch(`${server.origin}/redirect/2`, options({ maxRedirects: 1 })), {
      status: 400,
      code: 'too_many_redirects',
    });
  });

  it.each(['/to-ftp', '/to-data', '/to-file', '/to-credentials'])(
    'refuses a redirect to a non-http scheme (%s)',
    async (path) => {
      const error = await expectApiError(safeFetch(`${server.origin}${path}`, options()), {
        status: 400,
        code: 'invalid_image_url',
        param,
      });
      expect(error.message).toContain('redirected to');
      expect(error.message).not.toContain('hunter2');
    },
  );

  it('reports a non-2xx status', async () => {
    const error = await expectApiError(safeFetch(`${server.origin}/missing?token=SECRET`, options()), {
      status: 400,
      code: 'image_fetch_failed',
      param,
    });
    expect(error.message).toContain('HTTP 404');
    expect(error.message).not.toContain('SECRET');
    expect(error.message).toContain(`${server.origin}/missing`);
  });

  it('reports a refused connection', async () => {
    const closed = await startServer(() => {});
    const url = `${closed.origin}/png`;
    await closed.close();
    const error = await expectApiError(safeFetch(url, options()), { status: 400, code: 'image_fetch_failed', param });
    expect(error.message).toContain('connection was refused');
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('reports a name that does not resolve at connect time', async () => {
    const { lookup } = scriptedLookup(dnsError('ENOTFOUND', 'nowhere.example'));
    const error = await expectApiError(safeFetch('http://nowhere.example/cat.png', options({ lookup })), {
      status: 400,
      code: 'image_fetch_failed',
    });
    expect(error.message).toContain('could not resolve');
  });
});

describe('safeFetch: size cap', () => {
  it('refuses a Content-Length over the cap before reading the body', async () => {
    const error = await expectApiError(
      safeFetch(`${server.origin}/big-declared`, options({ maxBytes: 10 * 1024 * 1024 })),
      {
        status: 413,
        code: 'image_too_large',
        param,
      },
    );
    expect(error.message).toContain('is 50 MB; the limit is 10 MB');
  });

  it('stops a body without Content-Length as soon as it passes the cap', async () => {
    stream.outcome = undefined;
    const error = await expectApiError(safeFetch(`${server.origin}/stream`, options({ maxBytes: 100 * 1024 })), {
      status: 413,
      code: 'image_too_large',
      param,
    });
    expect(error.message).toContain('larger than the 100 KB limit');
    if (!stream.outcome) throw new Error('the server never started streaming');
    const { sent, finished } = await stream.outcome;
    // The server saw the connection go away long before it could send its 64 MB.
    expect(finished).toBe(false);
    expect(sent).toBeLessThan(STREAM_TOTAL / 4);
  });

  it('accepts a body of exactly the cap', async () => {
    const result = await safeFetch(`${server.origin}/exactly-at-cap`, options({ maxBytes: 1000 }));
    expect(result.bytes.byteLength).toBe(1000);
    expect(result.bytes[0]).toBe(1);
    expect(result.bytes[999]).toBe(2);
    await expectApiError(safeFetch(`${server.origin}/exactly-at-cap`, options({ maxBytes: 999 })), {
      status: 413,
      code: 'image_too_large',
    });
  });
});

describe('safeFetch: the request-wide budget', () => {
  it('charges the body to the budget', async () => {
    const budget = new ByteBudget(1000);
    await safeFetch(`${server.origin}/png`, options({ budget }));
    expect(budget.remaining).toBe(1000 - png.byteLength);
  });

  it('refuses a Content-Length beyond what is left of the budget without reading it', async () => {
    const budget = new ByteBudget(png.byteLength - 1);
    const error = await expectApiError(safeFetch(`${server.origin}/png`, options({ budget })), {
      status: 413,
      code: 'images_too_large',
      param,
    });
    expect(error.message).toBe(
      `The images of this request add up to more than ${png.byteLength - 1} bytes (MAX_TOTAL_IMAGE_BYTES); send fewer or smaller images.`,
    );
    expect(budget.remaining).toBe(png.byteLength - 1);
  });

  it('drops the connection as soon as a streamed body passes the budget', async () => {
    stream.outcome = undefined;
    const budget = new ByteBudget(100 * 1024);
    await expectApiError(safeFetch(`${server.origin}/stream`, options({ maxBytes: 32 * 1024 * 1024, budget })), {
      status: 413,
      code: 'images_too_large',
      param,
    });
    if (!stream.outcome) throw new Error('the server never started streaming');
    const { sent, finished } = await stream.outcome;
    expect(finished).toBe(false);
    expect(sent).toBeLessThan(STREAM_TOTAL / 4);
  });
});

describe('safeFetch: time', () => {
  it('times out a server that never answers', async () => {
    const started = Date.now();
    const error = await expectApiError(safeFetch(`${server.origin}/hang`, options({ timeoutMs: 200 })), {
      status: 400,
      code: 'image_fetch_timeout',
      param,
    });
    expect(error.message).toContain('did not respond within 200 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a body that stalls half-way', async () => {
    await expectApiError(safeFetch(`${server.origin}/stall-body`, options({ timeoutMs: 200 })), {
      status: 400,
      code: 'image_fetch_timeout',
    });
  });

  it('times out a lookup that never answers', async () => {
    const neverAnswers = (() => {}) as unknown as typeof import('node:dns').lookup;
    await expectApiError(
      safeFetch(
        'http://slow-dns.example/cat.png',
        options({ allowPrivateAddresses: false, timeoutMs: 100, lookup: neverAnswers }),
      ),
      { status: 400, code: 'image_fetch_timeout' },
    );
  });

  it("propagates the caller's abort instead of reporting a timeout", async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 50);
    const outcome = await safeFetch(`${server.origin}/hang`, options({ signal: controller.signal })).catch((e) => e);
    expect(outcome).toBe(reason);
    expect(outcome).not.toBeInstanceOf(ApiError);
  });

  it('propagates an abort that happens while the body streams', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await safeFetch(`${server.origin}/stall-body`, options({ signal: controller.signal })).catch(
      (e) => e,
    );
    expect(outcome).toBeInstanceOf(DOMException);
    expect((outcome as DOMException).name).toBe('AbortError');
  });

  it('does not start when the caller has already aborted', async () => {
    const before = server.requests.length;
    const outcome = await safeFetch(`${server.origin}/png`, options({ signal: AbortSignal.abort() })).catch((e) => e);
    expect((outcome as DOMException).name).toBe('AbortError');
    expect(server.requests.length).toBe(before);
  });
});
