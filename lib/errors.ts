import { ERROR_CODES, type ErrorCode } from '@/lib/error-codes';

/**
 * Every failure the API reports is an ApiError, rendered in OpenAI's envelope
 * `{"error":{"message","type","param","code"}}`. Upstream and SDK errors are
 * translated into ApiErrors in `lib/upstream-errors.ts`, the one place that knows their shapes.
 */

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error';

export interface ApiErrorOptions {
  type?: OpenAIErrorType;
  code?: ErrorCode | null;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

const DEFAULT_TYPE_BY_STATUS: Record<number, OpenAIErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'invalid_request_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  408: 'invalid_request_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

export class ApiError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: ErrorCode | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.type = options.type ?? DEFAULT_TYPE_BY_STATUS[status] ?? 'server_error';
    this.code = options.code ?? null;
    // The catalog fixes each code's status; a mismatch is a bug here, caught by the tests that reach it.
    if (this.code !== null && ERROR_CODES[this.code].status !== status && process.env.NODE_ENV !== 'production') {
      throw new Error(`error code ${this.code} comes with status ${ERROR_CODES[this.code].status}, not ${status}`);
    }
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  toJSON(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function invalidRequest(message: string, param: string | null = null, code: ErrorCode | null = null): ApiError {
  return new ApiError(400, message, { param, code });
}

/** A model Gemini does not serve and Iris has no replacement for. */
export function modelNotFound(modelId: string | undefined): ApiError {
  return new ApiError(
    404,
    `${modelId === undefined ? 'The requested model' : `The model '${modelId}'`} does not exist or does not support generateContent. GET /v1/models lists the models you can use.`,
    { type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
  );
}

/** A stored response that does not exist, is another owner's, or has passed its retention. */
export function responseNotFound(id: string, param: string | null = null): ApiError {
  return new ApiError(404, `No response with id '${id}' is stored for this key.`, {
    type: 'invalid_request_error',
    param,
    code: 'response_not_found',
  });
}

/** An embeddings request for an id that is no embedding model Gemini lists. */
export function embeddingModelNotFound(modelId: string): ApiError {
  return new ApiError(
    404,
    `The model '${modelId}' does not exist or does not support embedContent. GET /v1/models lists the models you can use.`,
    { type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
  );
}

/** An embeddings request for a model Gemini lists, but not for embeddings (a chat model). */
export function notAnEmbeddingModel(modelId: string): ApiError {
  return invalidRequest(
    `The model '${modelId}' does not make embeddings (Gemini lists no embedContent for it). Use an embedding model such as 'gemini-embedding-001'; GET /v1/models lists them.`,
    'model',
    'not_an_embedding_model',
  );
}

/** A chat that does not exist or is another owner's: both look the same, so ids cannot be probed. */
export function chatNotFound(param: 'id' | 'chatId' = 'id'): ApiError {
  return new ApiError(404, 'This chat does not exist.', { code: 'chat_not_found', param });
}
