import { describe, expect, it } from 'vitest';
import { assertSameOrigin, originVerdict } from '@/lib/http/same-origin';
import { apiErrorOf } from '../../support/api-error.ts';

function post(headers: Record<string, string>, url = 'http://iris.test/api/chats'): Request {
  return new Request(url, { method: 'POST', headers });
}

const refusal = (request: Request) => apiErrorOf(() => assertSameOrigin(request));

describe('assertSameOrigin', () => {
  it('allows a request whose Origin is the host it was sent to', () => {
    expect(() => assertSameOrigin(post({ host: 'iris.test', origin: 'http://iris.test' }))).not.toThrow();
    expect(() => assertSameOrigin(post({ host: 'localhost:3000', origin: 'http://localhost:3000' }))).not.toThrow();
    expect(() => assertSameOrigin(post({ host: 'Iris.Test:443', origin: 'https://iris.test' }))).not.toThrow();
  });

  it('allows Sec-Fetch-Site same-origin or none without an Origin', () => {
    expect(() => assertSameOrigin(post({ host: 'iris.test', 'sec-fetch-site': 'same-origin' }))).not.toThrow();
    expect(() => assertSameOrigin(post({ host: 'iris.test', 'sec-fetch-site': 'none' }))).not.toThrow();
  });

  it('refuses another origin with a 403 cross_origin_request', () => {
    const error = refusal(post({ host: 'iris.test', origin: 'https://evil.example' }));
    expect(error.status).toBe(403);
    expect(error.code).toBe('cross_origin_request');
    expect(error.type).toBe('invalid_request_error');
  });

  it('refuses another port, a sibling subdomain and the opaque origin "null"', () => {
    expect(refusal(post({ host: 'localhost:3000', origin: 'http://localhost:4000' })).status).toBe(403);
    expect(refusal(post({ host: 'iris.example.com', 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(refusal(post({ host: 'iris.test', origin: 'null' })).status).toBe(403);
  });

  it('believes Sec-Fetch-Site over a matching Origin', () => {
    expect(
      refusal(post({ host: 'iris.test', origin: 'http://iris.test', 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
  });

  it('refuses a request with no evidence at all', () => {
    expect(refusal(post({ host: 'iris.test' })).status).toBe(403);
  });

  it("compares with the public host behind a proxy (x-forwarded-host), not the upstream's", () => {
    const behindProxy = (origin: string) =>
      post({ host: 'internal:8080', 'x-forwarded-host': 'iris.vercel.app', origin }, 'http://internal:8080/api/chats');
    expect(() => assertSameOrigin(behindProxy('https://iris.vercel.app'))).not.toThrow();
    expect(refusal(behindProxy('http://internal:8080')).status).toBe(403);
  });
});

describe('originVerdict', () => {
  it("is 'unknown' when no browser header says anything", () => {
    expect(originVerdict(post({ host: 'iris.test' }))).toBe('unknown');
    expect(originVerdict(post({ host: 'iris.test', origin: 'http://iris.test' }))).toBe('same');
    expect(originVerdict(post({ host: 'iris.test', origin: 'http://other.test' }))).toBe('cross');
  });
});
