import { beforeEach, describe, expect, it, vi } from 'vitest';
import { safeFetch } from '@/lib/images/safe-fetch';
import { expectApiError, fixture } from './support';

// A local https server would need a certificate undici trusts; the refusal happens on the redirect
// response, before any connection to its target, so a scripted fetch shows it just as well.
const requested = vi.hoisted(() => [] as string[]);
vi.mock('undici', async (importOriginal) => {
  const real = await importOriginal<typeof import('undici')>();
  const routes: Record<string, () => Response> = {
    'https://images.example/downgrade': () => redirect('http://images.example/cat.png'),
    'https://images.example/later': () => redirect('https://images.example/downgrade'),
    'https://images.example/secure': () => redirect('https://cdn.example/cat.png'),
    'http://images.example/upgrade': () => redirect('https://cdn.example/cat.png'),
    'https://cdn.example/cat.png': () => image(),
    'http://images.example/cat.png': () => image(),
  };
  return {
    ...real,
    fetch: vi.fn(async (input: URL) => {
      requested.push(input.href);
      const route = routes[`${input.origin}${input.pathname}`];
      return route ? route() : new Response('not found', { status: 404 });
    }),
  };
});

const png = fixture('tiny.png');
const param = 'messages[1].content[0].image_url.url';
const options = { maxBytes: 1024 * 1024, timeoutMs: 5_000, allowPrivateAddresses: true, param };

function image(): Response {
  return new Response(new Uint8Array(png), { headers: { 'content-type': 'image/png' } });
}

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location } });
}

beforeEach(() => {
  requested.length = 0;
});

describe('safeFetch refuses to follow https to plain http', () => {
  it('refuses the redirect without requesting the http URL', async () => {
    const error = await expectApiError(safeFetch('https://images.example/downgrade?sig=SECRET', options), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(error.message).toBe(
      `${param} (https://images.example/downgrade) redirected from https to plain http (http://images.example/cat.png); Iris does not follow a redirect that drops TLS, since the image could then be read or replaced on the way.`,
    );
    expect(requested).toEqual(['https://images.example/downgrade?sig=SECRET']);
  });

  it('refuses it on a later hop too', async () => {
    await expectApiError(safeFetch('https://images.example/later', options), {
      status: 400,
      code: 'invalid_image_url',
      param,
    });
    expect(requested).toEqual(['https://images.example/later', 'https://images.example/downgrade']);
  });

  it('follows https to https, and http up to https', async () => {
    for (const url of ['https://images.example/secure', 'http://images.example/upgrade']) {
      const result = await safeFetch(url, options);
      expect(result.finalUrl).toBe('https://cdn.example/cat.png');
      expect(result.bytes.byteLength).toBe(png.byteLength);
    }
  });
});
