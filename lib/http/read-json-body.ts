import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes } from '@/lib/format';
import { readCapped } from '@/lib/http/read-capped';

/**
 * Reads a JSON body, counting bytes as they arrive so an oversized body is refused
 * before it is buffered whole (Content-Length can be absent or wrong).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) throw invalidRequest('The request has no body; send a JSON object.', null, 'invalid_json');

  const text = (await readCapped(request.body, { maxBytes, onLimit: () => tooLarge(maxBytes) })).toString('utf8');
  if (text.trim() === '') throw invalidRequest('The request body is empty; send a JSON object.', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'unparseable';
    throw invalidRequest(`The request body is not valid JSON (${detail}).`, null, 'invalid_json');
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    `The request body is larger than this server's limit of ${formatBytes(maxBytes)} (MAX_REQUEST_BYTES). Send large images by URL instead of as data URLs.`,
    // The rest of the body is left unread, so the connection cannot carry another request.
    { code: 'request_too_large', headers: { connection: 'close' } },
  );
}
