import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { safeFetch } from '@/lib/images/safe-fetch';
import { expectApiError, fixture, scriptedLookup, startServer, type TestServer } from './support';

// Redirect targets are re-checked against the address policy. To watch that happen with private
// addresses refused, the test server's own 127.0.0.1 is treated as public here, and nothing else.
vi.mock('@/lib/images/address-policy', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/images/address-policy')>();
  return { ...real, isPublicAddress: (ip: string) => ip === '127.0.0.1' || real.isPublicAddress(ip) };
});

const param = 'messages[2].content[0].image_url.url';
const png = fixture('tiny.png');
let server: TestServer;
let target: TestServer;

beforeAll(async () => {
  // A second server that must never be reached through a refused redirect.
  target = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
  server = await startServer((req, res) => {
    const locations: Record<string, string> = {
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-ipv6-loopback': `http://[::1]:${target.port}/png`,
      '/to-private-name': `http://intranet.example:${target.port}/png`,
      '/to-self': '/png',
    };
    const location = locations[req.url ?? ''];
    if (location) return void res.writeHead(302, { location }).end();
    res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  });
});

afterAll(async () => {
  await server.close();
  await target.close();
});

describe('safeFetch re-checks every redirect hop against the address policy', () => {
  it('follows a redirect to an allowed address', async () => {
    const result = await safeFetch(`${server.origin}/to-self`, {
      maxBytes: 1024 * 1024,
      timeoutMs: 5_000,
      allowPrivateAddresses: false,
      param,
    });
    expect(result.finalUrl).toBe(`${server.origin}/png`);
  });

  it.each(['/to-metadata', '/to-ipv6-loopback'])(
    'refuses a redirect to a literal private address (%s)',
    async (path) => {
      await expectApiError(
        safeFetch(`${server.origin}${path}`, { maxBytes: 1024, timeoutMs: 5_000, allowPrivateAddresses: false, param }),
        { status: 400, code: 'image_url_blocked', param },
      );
      expect(target.connections).toBe(0);
    },
  );

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const { lookup, calls } = scriptedLookup(['10.0.0.5']);
    const error = await expectApiError(
      safeFetch(`${server.origin}/to-private-name`, {
        maxBytes: 1024,
        timeoutMs: 5_000,
        allowPrivateAddresses: false,
        param,
        lookup,
      }),
      { status: 400, code: 'image_url_blocked', param },
    );
    expect(error.message).toContain('intranet.example');
    expect(calls.map((c) => c.hostname)).toEqual(['intranet.example']);
    expect(target.connections).toBe(0);
  });
});
