import { ApiError } from '@/lib/errors';

/**
 * Next decodes each dynamic path segment once with decodeURIComponent; a segment that does not decode (`%`, `%ff%fe`)
 * makes it throw before any route runs, and it then answers a bare "Internal Server Error". The proxy checks the
 * same segments first, so a malformed encoding is the caller's 400 in OpenAI's envelope.
 */
export function hasMalformedEncoding(pathname: string): boolean {
  for (const segment of pathname.split('/')) {
    if (!segment.includes('%')) continue;
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}

export function malformedEncoding(): ApiError {
  return new ApiError(
    400,
    'The URL path is not percent-encoded correctly (a "%" must be followed by two hex digits that spell UTF-8). Encode ids with encodeURIComponent.',
    { code: 'invalid_id', param: 'id' },
  );
}
