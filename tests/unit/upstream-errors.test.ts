import { APICallError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/errors';
import { toApiError } from '@/lib/upstream-errors';

function googleError(
  statusCode: number,
  status: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers = {},
) {
  return new APICallError({
    message,
    url: 'http://127.0.0.1/v1beta/models/m:generateContent',
    requestBodyValues: { contents: [{ parts: [{ text: 'secret prompt' }] }] },
    statusCode,
    responseHeaders: headers,
    responseBody: JSON.stringify({ error: { code: statusCode, message, status, ...extra } }),
    isRetryable: statusCode === 429 || statusCode >= 500,
  });
}

describe('toApiError', () => {
  it('passes ApiErrors through untouched', () => {
    const original = new ApiError(400, 'bad', { param: 'x' });
    expect(toApiError(original)).toBe(original);
  });

  it.each([
    [400, 'INVALID_ARGUMENT', 400, 'upstream_invalid_request', 'invalid_request_error'],
    [404, 'NOT_FOUND', 404, 'model_not_found', 'invalid_request_error'],
    [429, 'RESOURCE_EXHAUSTED', 429, 'rate_limit_exceeded', 'rate_limit_error'],
    [500, 'INTERNAL', 502, 'upstream_error', 'server_error'],
    [502, 'BAD_GATEWAY', 502, 'upstream_error', 'server_error'],
    [503, 'UNAVAILABLE', 503, 'upstream_overloaded', 'server_error'],
    [504, 'DEADLINE_EXCEEDED', 504, 'upstream_timeout', 'server_error'],
    [403, 'PERMISSION_DENIED', 502, 'upstream_auth_failed', 'server_error'],
  ])('maps Gemini %i %s to %i %s', (upstream, status, expected, code, type) => {
    const error = toApiError(googleError(upstream, status, 'upstream says no'), { modelId: 'gemini-x' });
    expect(error.status).toBe(expected);
    expect(error.code).toBe(code);
    expect(error.type).toBe(type);
    expect(JSON.stringify(error.toJSON())).not.toContain('secret prompt');
  });

  it('names the model and the param on a 404', () => {
    const error = toApiError(googleError(404, 'NOT_FOUND', 'models/x is not found'), { modelId: 'gemini-nope' });
    expect(error.param).toBe('model');
    expect(error.message).toContain("'gemini-nope'");
  });

  it('passes on RetryInfo as Retry-After, rounding up', () => {
    const error = toApiError(
      googleError(429, 'RESOURCE_EXHAUSTED', 'quota', {
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36.2s' }],
      }),
    );
    expect(error.headers['retry-after']).toBe('37');
    expect(error.message).toMatch(/Try again in 37 s\.$/);
  });

  it('prefers an upstream Retry-After header', () => {
    const error = toApiError(googleError(429, 'RESOURCE_EXHAUSTED', 'quota', {}, { 'retry-after': '12' }));
    expect(error.headers['retry-after']).toBe('12');
  });

  it('treats a rejected key as the caller’s 401 only when the caller brought it', () => {
    const invalidKey = () =>
      googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', {
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
      });
    expect(toApiError(invalidKey(), { bringsOwnKey: true })).toMatchObject({ status: 401, code: 'invalid_api_key' });
    const serverSide = toApiError(invalidKey(), { bringsOwnKey: false });
    expect(serverSide).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    expect(serverSide.message).toContain('GOOGLE_GENERATIVE_AI_API_KEY');
  });

  it('redacts secrets that an upstream message might echo', () => {
    const error = toApiError(googleError(400, 'INVALID_ARGUMENT', 'bad key AIzaSECRET used'), {
      secrets: ['AIzaSECRET'],
    });
    expect(error.message).not.toContain('AIzaSECRET');
  });

  it('unwraps RetryError to its last error', () => {
    const last = googleError(503, 'UNAVAILABLE', 'overloaded');
    const retry = new RetryError({
      message: 'Failed after 3 attempts',
      reason: 'maxRetriesExceeded',
      errors: [last, last],
    });
    expect(toApiError(retry).status).toBe(503);
  });

  it('maps timeouts to 504 and unreachable upstreams to 502', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(toApiError(timeout)).toMatchObject({ status: 504, code: 'upstream_timeout' });
    const unreachable = new APICallError({ message: 'Cannot connect to API', url: 'http://x', requestBodyValues: {} });
    expect(toApiError(unreachable)).toMatchObject({ status: 502, code: 'upstream_unreachable' });
  });

  it('never exposes an unexpected error’s message', () => {
    const error = toApiError(new TypeError('cannot read prompt "my secret plan"'));
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('secret');
  });

  it('reads Google errors wrapped in an array', () => {
    const wrapped = new APICallError({
      message: 'x',
      url: 'http://x',
      requestBodyValues: {},
      statusCode: 429,
      responseBody: JSON.stringify([{ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } }]),
    });
    expect(toApiError(wrapped).message).toContain('slow down');
  });
});
