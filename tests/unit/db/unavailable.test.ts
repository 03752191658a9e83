import { APICallError } from 'ai';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DatabaseTimeoutError, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { toApiError } from '@/lib/upstream-errors';

const withCode = (code: string, name = 'Error') =>
  Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code, name });
const wrapped = (cause: unknown) =>
  new DrizzleQueryError('select "id" from "chats" where "owner_id" = $1', ['o'], cause as Error);

describe('what counts as the database being unavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection, through Drizzle', wrapped(withCode('ECONNRESET'))],
    ['postgres.js: connection closed mid-query', wrapped(withCode('CONNECTION_CLOSED'))],
    ['postgres.js: connect timeout', withCode('CONNECT_TIMEOUT')],
    ['the server shutting down (57P01)', wrapped(withCode('57P01', 'PostgresError'))],
    ['the server starting up (57P03)', withCode('57P03', 'PostgresError')],
    ['too many connections (53300)', withCode('53300', 'PostgresError')],
    ['a statement timeout (57014)', wrapped(withCode('57014', 'PostgresError'))],
    ['a connection exception (08006)', withCode('08006', 'PostgresError')],
    ["Iris's own deadline", new DatabaseTimeoutError(100)],
  ])('%s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const api = toApiError(error);
    expect(api.status).toBe(503);
    expect(api.code).toBe('database_unavailable');
    expect(api.headers['retry-after']).toMatch(/^\d+$/);
    expect(api.message).toMatch(/Storage is unreachable/);
    // Neither SQL nor the database's address reach the caller.
    expect(api.message).not.toMatch(/select|5432|127\.0\.0\.1/);
  });

  it.each([
    ['a unique violation (23505)', wrapped(withCode('23505', 'PostgresError'))],
    ['a syntax error (42601)', withCode('42601', 'PostgresError')],
    ['a plain bug', new TypeError('x is undefined')],
    // fetch wraps socket errors in a TypeError: Gemini or an image host being unreachable is not the database.
    ['a failed fetch', new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') })],
    [
      'Gemini unreachable',
      new APICallError({
        message: 'Cannot connect to API',
        url: 'http://127.0.0.1/v1beta/models/m:streamGenerateContent',
        requestBodyValues: {},
        cause: new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }),
      }),
    ],
  ])('not %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(toApiError(error).code).not.toBe('database_unavailable');
  });
});
