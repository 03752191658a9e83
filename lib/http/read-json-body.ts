import { getConfig } from '@/lib/config';
import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes } from '@/lib/format';
import { DEFAULT_JSON_LIMITS, JsonGuard, type JsonLimitExceeded, type JsonLimits } from '@/lib/http/json-guard';
import { readCapped } from '@/lib/http/read-capped';

export interface JsonBodyOptions {
  /** What the 413 names as the limit (an environment variable, or a plain description). */
  limitName?: string;
  /** Extra advice for a body over the limit. */
  limitAdvice?: string;
  /** Tighter structure limits than DEFAULT_JSON_LIMITS; `maxStringChars` bounds every string of the body. */
  json?: Partial<JsonLimits>;
  /** The error for a string over `json.maxStringChars`, which the route can name better than the reader. */
  onLongString?: () => ApiError;
  /** Default BODY_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
}

/**
 * Reads a JSON body, counting bytes as they arrive so an oversized body is refused before it is buffered whole
 * (Content-Length can be absent or wrong), and scanning its structure so a body that would be costly to parse is
 * refused before JSON.parse sees it. Only `application/json` is read: a form or text/plain body is what a page on
 * another site can send without asking (no CORS preflight), so refusing it keeps cross-site requests out early.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
  options: JsonBodyOptions = {},
): Promise<unknown> {
  assertJsonContentType(request);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, options);
  if (!request.body) throw invalidRequest('The request has no body; send a JSON object.', null, 'invalid_json');

  const limits = { ...DEFAULT_JSON_LIMITS, ...options.json };
  const guard = new JsonGuard(limits);
  const idleTimeoutMs = options.idleTimeoutMs ?? getConfig().bodyIdleTimeoutMs;
  const bytes = await readCapped(request.body, {
    maxBytes,
    onLimit: () => tooLarge(maxBytes, options),
    idleTimeoutMs,
    onIdle: () => bodyTimedOut(idleTimeoutMs),
    inspect: (chunk) => {
      const exceeded = guard.push(chunk);
      if (exceeded === 'string' && options.onLongString) throw options.onLongString();
      if (exceeded) throw tooComplex(exceeded, limits);
    },
  });
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw invalidRequest('The request body is empty; send a JSON object.', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'unparseable';
    throw invalidRequest(`The request body is not valid JSON (${detail}).`, null, 'invalid_json');
  }
}

/** `application/json`, with or without parameters (`; charset=utf-8`), or a `+json` type. */
export function isJsonContentType(header: string | null): boolean {
  const type = header?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

export function assertJsonContentType(request: Request): void {
  const header = request.headers.get('content-type');
  if (isJsonContentType(header)) return;
  const sent = header === null ? 'no Content-Type' : `Content-Type ${JSON.stringify(header.slice(0, 100))}`;
  throw new ApiError(
    415,
    `This endpoint takes a JSON body sent with Content-Type: application/json, and the request has ${sent}. ` +
      "With curl, add -H 'Content-Type: application/json' (curl -d alone sends application/x-www-form-urlencoded).",
    { code: 'unsupported_media_type', headers: { accept: 'application/json' } },
  );
}

function tooLarge(maxBytes: number, options: JsonBodyOptions): ApiError {
  const name = options.limitName ?? 'MAX_REQUEST_BYTES';
  const advice = options.limitAdvice ?? 'Send large images by URL instead of as data URLs.';
  return new ApiError(
    413,
    `The request body is larger than this server's limit of ${formatBytes(maxBytes)} (${name}). ${advice}`,
    {
      code: 'request_too_large',
      // The rest of the body is left unread, so the connection cannot carry another request.
      headers: { connection: 'close' },
    },
  );
}

function tooComplex(exceeded: JsonLimitExceeded, limits: JsonLimits): ApiError {
  const what: Record<JsonLimitExceeded, string> = {
    depth: `is nested more than ${limits.maxDepth} levels deep`,
    keys: `has more than ${limits.maxKeys.toLocaleString('en-US')} object keys`,
    values: `has more than ${limits.maxValues.toLocaleString('en-US')} values`,
    string: `has a string longer than ${(limits.maxStringChars ?? 0).toLocaleString('en-US')} characters`,
  };
  return new ApiError(400, `The request body ${what[exceeded]}, more than Iris reads in one request.`, {
    code: 'json_too_complex',
    headers: { connection: 'close' },
  });
}

export function bodyTimedOut(idleTimeoutMs: number): ApiError {
  return new ApiError(
    408,
    `The request body stopped arriving: nothing came for ${idleTimeoutMs / 1000} s (BODY_IDLE_TIMEOUT_MS). Send the body without pauses.`,
    { code: 'request_timeout', headers: { connection: 'close' } },
  );
}
