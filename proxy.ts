import { type NextRequest, NextResponse } from 'next/server';
import { hasMalformedEncoding, malformedEncoding } from '@/lib/http/path-encoding';
import { NONCE_HEADER, newNonce, pageSecurityHeaders } from '@/lib/http/security-headers';

/**
 * Runs before Next matches a route. A path whose %-encoding is malformed gets the API's 400 (lib/http/path-encoding.ts)
 * instead of Next's bare 500. Pages get a fresh CSP nonce and the security headers (lib/http/security-headers.ts):
 * Next reads the nonce from the request's Content-Security-Policy header and puts it on its scripts; the root layout
 * reads x-nonce for its own.
 */
export function proxy(request: NextRequest): Response {
  const path = request.nextUrl.pathname;
  if (hasMalformedEncoding(path)) {
    const error = malformedEncoding();
    return Response.json(error.toJSON(), { status: error.status });
  }
  if (isApi(path)) return NextResponse.next();
  const nonce = newNonce();
  const headers = pageSecurityHeaders(nonce, { development: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set('content-security-policy', headers['content-security-policy'] as string);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** The API (/api, and /v1 which rewrites to it) keeps its own headers and CORS. */
function isApi(path: string): boolean {
  return /^\/(api|v1)(\/|$)/.test(path);
}

export const config = {
  matcher: [
    {
      // Pages; static files need no nonce, prefetches no headers.
      source: '/((?!api/|api$|v1/|v1$|_next/static|_next/image|favicon.ico|icon.svg).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
    // API paths with an id segment, for their encoding. Never the routes that take large bodies (/api/chat,
    // /api/files, POST /v1/…): Next buffers the body of every request the proxy sees (proxyClientMaxBodySize).
    '/api/chats/:path+',
    '/api/files/:path+',
    '/v1/((?!chat/completions$|embeddings$|responses$).+)',
    '/api/v1/((?!chat/completions$|embeddings$|responses$).+)',
  ],
};
