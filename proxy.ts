import { type NextRequest, NextResponse } from 'next/server';
import { NONCE_HEADER, newNonce, pageSecurityHeaders } from '@/lib/http/security-headers';

/**
 * Pages get a fresh CSP nonce and the security headers (lib/http/security-headers.ts). Next reads the nonce from
 * the request's Content-Security-Policy header and puts it on its scripts; the root layout reads x-nonce for its own.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const headers = pageSecurityHeaders(nonce, { development: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set('content-security-policy', headers['content-security-policy'] as string);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: the API (/api, and /v1 which rewrites to it) keeps its own headers and CORS; static files need no nonce.
      source: '/((?!api/|api$|v1/|v1$|_next/static|_next/image|favicon.ico|icon.svg).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
