import { type NextRequest, NextResponse } from 'next/server';
import { hasMalformedEncoding, malformedEncoding } from '@/lib/http/path-encoding';

/** Runs before Next matches a route: see lib/http/path-encoding.ts. */
export function proxy(request: NextRequest): Response {
  if (!hasMalformedEncoding(request.nextUrl.pathname)) return NextResponse.next();
  const error = malformedEncoding();
  return Response.json(error.toJSON(), { status: error.status });
}

export const config = {
  // Only paths with an id segment. Never the routes that take large bodies (/api/chat, /api/files, POST /v1/…):
  // Next buffers the body of every request the proxy sees (proxyClientMaxBodySize), which those must not pay for.
  matcher: [
    '/api/chats/:path+',
    '/api/files/:path+',
    '/c/:path+',
    '/v1/((?!chat/completions$|embeddings$|responses$).+)',
    '/api/v1/((?!chat/completions$|embeddings$|responses$).+)',
  ],
};
