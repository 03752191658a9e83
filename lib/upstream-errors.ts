import {
  APICallError,
  InvalidResponseDataError,
  JSONParseError,
  RetryError,
  ToolChoiceViolationError,
  TypeValidationError,
} from 'ai';
import { type CheckedSetting, UnsupportedSettingError } from '@/lib/core/model-settings';
import { databaseUnavailable, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { ApiError, invalidRequest, modelNotFound } from '@/lib/errors';

/**
 * The one place that turns anything thrown while serving a request into an ApiError:
 * our own ApiErrors pass through; AI SDK and Gemini errors get OpenAI's status and envelope.
 */
export interface UpstreamErrorContext {
  /** The Gemini model id the request was sent to. */
  modelId?: string;
  /** The caller brought their own Gemini key, so an upstream auth failure is theirs to fix. */
  bringsOwnKey?: boolean;
  /** Secrets that must never appear in a message (the upstream key in use). */
  secrets?: readonly string[];
  /** The adapter's name for each setting the core checks (`maxOutputTokens` → `max_tokens`), for `param`. */
  params?: Partial<Record<CheckedSetting, string>>;
}

/**
 * Gemini's 404 NOT_FOUND for a model: "models/X is not found for API version v1beta…" for a retired id, and
 * "This model models/X is no longer available to new users…" for one this key may no longer use.
 */
export function isModelRefusal(error: unknown): boolean {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (!APICallError.isInstance(cause) || cause.statusCode !== 404) return false;
  const body = parseGoogleError(cause.responseBody);
  return body?.error?.status === undefined || body.error.status === 'NOT_FOUND';
}

export function toApiError(error: unknown, context: UpstreamErrorContext = {}): ApiError {
  if (error instanceof ApiError) return error;
  // Before the network checks below: a database socket reset is not Gemini being unreachable.
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  if (RetryError.isInstance(error)) return toApiError(error.lastError, context);
  if (UnsupportedSettingError.isInstance(error)) {
    const param = context.params?.[error.setting] ?? error.setting;
    return invalidRequest(`${param} ${JSON.stringify(error.value)} ${error.because}`, param, 'unsupported_parameter');
  }
  if (isTimeout(error)) {
    return new ApiError(
      504,
      'Gemini did not answer in time (UPSTREAM_TIMEOUT_MS). Try again, or ask for a shorter answer.',
      {
        code: 'upstream_timeout',
      },
    );
  }
  if (isClientAbort(error)) {
    return new ApiError(499, 'The client closed the request.', { code: 'client_closed' });
  }
  if (APICallError.isInstance(error)) return fromApiCallError(error, context);
  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error)
  ) {
    return new ApiError(502, 'Gemini sent a reply Iris could not read.', {
      code: 'upstream_bad_response',
      cause: error,
    });
  }
  if (ToolChoiceViolationError.isInstance(error)) {
    // Gemini's mode ANY always calls, except when the answer is cut short (max tokens, a safety stop).
    return new ApiError(
      502,
      `Gemini finished (${error.finishReason}) without the function call tool_choice asks for. Try again, or allow more tokens.`,
      { code: 'tool_choice_not_honoured', cause: error },
    );
  }
  return new ApiError(500, 'Iris hit an unexpected error while serving this request.', {
    type: 'server_error',
    code: 'internal_error',
    cause: error,
  });
}

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { '@type'?: string; reason?: string; retryDelay?: string }[];
  };
}

function fromApiCallError(error: APICallError, context: UpstreamErrorContext): ApiError {
  const body = parseGoogleError(error.responseBody);
  const upstreamMessage = redact(body?.error?.message ?? error.message, context.secrets);
  const status = error.statusCode;
  const reasons = body?.error?.details?.map((d) => d.reason).filter(Boolean) ?? [];

  if (status === undefined) {
    return new ApiError(502, 'Iris could not reach Gemini.', { code: 'upstream_unreachable', cause: error });
  }
  if (status < 400) {
    // A success status whose body could not be read: truncated or malformed JSON.
    return new ApiError(502, 'Gemini sent a reply Iris could not read.', {
      code: 'upstream_bad_response',
      cause: error,
    });
  }
  const isAuthFailure = status === 401 || status === 403 || reasons.includes('API_KEY_INVALID');
  if (isAuthFailure) {
    if (context.bringsOwnKey) {
      return new ApiError(401, `Gemini rejected the API key you sent: ${upstreamMessage}`, {
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    return new ApiError(
      502,
      `Gemini refused this server's request (${status}${body?.error?.status ? ` ${body.error.status}` : ''}): ${sentence(upstreamMessage)} The operator should check GOOGLE_GENERATIVE_AI_API_KEY and the key's access to this model.`,
      { code: 'upstream_auth_failed' },
    );
  }
  if (status === 404) return modelNotFound(context.modelId);
  if (status === 429) {
    const retryAfter = retryAfterSeconds(error, body);
    // Said in words too: the chat shows only the message, and a person wants to know how long to wait.
    const wait = retryAfter === undefined ? '' : ` Try again in ${retryAfter} s.`;
    return new ApiError(429, `Gemini rate limit or quota reached: ${upstreamMessage}${wait}`, {
      code: 'rate_limit_exceeded',
      headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    });
  }
  if (status === 413) {
    return new ApiError(413, `Gemini refused the request as too large: ${upstreamMessage}`, {
      code: 'request_too_large',
    });
  }
  if (status === 503) {
    return new ApiError(503, `Gemini is overloaded or unavailable: ${upstreamMessage}`, {
      code: 'upstream_overloaded',
    });
  }
  if (status === 504) {
    return new ApiError(504, `Gemini timed out: ${upstreamMessage}`, { code: 'upstream_timeout' });
  }
  if (status >= 500) {
    return new ApiError(502, `Gemini failed with ${status}: ${upstreamMessage}`, { code: 'upstream_error' });
  }
  // Remaining 4xx: Gemini judged the request itself invalid, which is the caller's to fix.
  return new ApiError(400, `Gemini rejected the request: ${upstreamMessage}`, { code: 'upstream_invalid_request' });
}

function parseGoogleError(responseBody: string | undefined): GoogleErrorBody | undefined {
  if (!responseBody) return undefined;
  try {
    const parsed: unknown = JSON.parse(responseBody);
    // Google's OpenAI layer sometimes wraps the error in an array; the native API may too.
    const candidate = Array.isArray(parsed) ? parsed[0] : parsed;
    return typeof candidate === 'object' && candidate !== null ? (candidate as GoogleErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After from the upstream header, else from Google's RetryInfo detail ("36s", "1.5s"). */
function retryAfterSeconds(error: APICallError, body: GoogleErrorBody | undefined): number | undefined {
  const header = error.responseHeaders?.['retry-after'];
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim());
  const delay = body?.error?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match ? Math.max(1, Math.ceil(Number(match[1]))) : undefined;
}

/** Aborts Iris did not cause itself: the caller hung up (request.signal) and everything downstream followed. */
function isClientAbort(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'ResponseAborted') return true;
  return error.cause instanceof Error && (error.cause.name === 'AbortError' || error.cause.name === 'ResponseAborted');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError') return true;
  return error.cause instanceof Error && error.cause.name === 'TimeoutError';
}

function redact(message: string, secrets: readonly string[] | undefined): string {
  let out = message;
  for (const secret of secrets ?? []) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}
