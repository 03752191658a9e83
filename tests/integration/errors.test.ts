import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSTHROUGH_GEMINI_KEY, TEST_LIMITS, WRONG_GEMINI_LOOKING_KEY } from '../support/constants.ts';
import { type ImageServer, startImageServer } from '../support/image-server.ts';
import { irisUrl, newTag, openai, postChat, upstreamRequests } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { dataUrl, GIF_1x1, makePng } from '../support/png.ts';
import { postWithoutEnding } from '../support/post-without-ending.ts';

let images: ImageServer;
beforeAll(async () => {
  images = await startImageServer();
});
afterAll(async () => {
  await images.close();
});

const ask = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'gemini-3-flash-preview',
  messages: [{ role: 'user', content }],
  ...extra,
});

async function expectError(response: Response, status: number, code: string | null, param?: string | null) {
  const body = await response.json();
  expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  if (param !== undefined) expect(body.error.param).toBe(param);
  return body.error as { message: string; type: string; param: string | null; code: string | null };
}

describe('authentication', () => {
  it('refuses a missing key and a wrong key with 401', async () => {
    await expectError(await postChat(ask('hi'), { key: null }), 401, 'missing_api_key');
    const error = await expectError(await postChat(ask('hi'), { key: 'nope-not-a-key' }), 401, 'invalid_api_key');
    expect(error.message).not.toContain('nope-not-a-key');
  });

  it('surfaces as the openai client’s AuthenticationError', async () => {
    await expect(
      openai('wrong').chat.completions.create({
        model: 'gemini-3-flash-preview',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('forwards a caller’s own Gemini key upstream when passthrough is on', async () => {
    const tag = newTag();
    const response = await postChat(ask(`mine [tag:${tag}]`), { key: PASSTHROUGH_GEMINI_KEY });
    expect(response.status).toBe(200);
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.apiKey).toBe(PASSTHROUGH_GEMINI_KEY);
    expect(JSON.stringify(await response.json())).not.toContain(PASSTHROUGH_GEMINI_KEY);
  });

  it('reports a caller’s own key that Gemini rejects as their 401, without echoing it', async () => {
    const error = await expectError(
      await postChat(ask('mine'), { key: WRONG_GEMINI_LOOKING_KEY }),
      401,
      'invalid_api_key',
    );
    expect(error.message).not.toContain(WRONG_GEMINI_LOOKING_KEY);
  });
});

describe('HTTP surface', () => {
  it('answers other methods with 405 and Allow', async () => {
    const response = await fetch(`${irisUrl()}/v1/chat/completions`);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    await expectError(response, 405, 'method_not_allowed');
  });

  it('answers CORS preflights for browser clients', async () => {
    const response = await fetch(`${irisUrl()}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-stainless-os',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-stainless-os');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('serves the same handlers at /api/v1', async () => {
    const response = await fetch(`${irisUrl()}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer iris-test-key-two', 'content-type': 'application/json' },
      body: JSON.stringify(ask('via api')),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a body that is not JSON before doing any work', async () => {
    await expectError(await postChat('{"model": '), 400, 'invalid_json');
  });

  // Neither body is ever completed (see postWithoutEnding): a server that waited for the whole body never answers.
  it.each([
    [
      'declared too large by Content-Length, before any of it is read',
      0,
      { 'content-length': String(TEST_LIMITS.maxRequestBytes * 2) },
    ],
    ['sent without Content-Length, as soon as the limit is passed', TEST_LIMITS.maxRequestBytes + 64 * 1024, {}],
  ])('refuses a body %s', async (_, byteCount, lengthHeader) => {
    const answer = await postWithoutEnding(`${irisUrl()}/v1/chat/completions`, {
      headers: { authorization: 'Bearer iris-test-key-one', 'content-type': 'application/json', ...lengthHeader },
      bytes: new Uint8Array(byteCount).fill(0x78),
    });
    const body = JSON.parse(answer.body);
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect({ status: answer.status, code: body.error.code }).toEqual({ status: 413, code: 'request_too_large' });
  });

  it('answers unknown /v1 paths with a JSON 404', async () => {
    const response = await fetch(`${irisUrl()}/v1/audio/speech`, { method: 'POST' });
    await expectError(response, 404, 'unknown_url');
  });
});

describe('bad input names the param', () => {
  it.each([
    [{ model: 'gemini-3-flash-preview' }, 'messages', 'invalid_value'],
    [ask('hi', { temperature: 5 }), 'temperature', 'invalid_value'],
    [
      ask('hi', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }] }),
      'tools[0].function.parameters',
      'invalid_function_parameters',
    ],
    [
      {
        model: 'gemini-3-flash-preview',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'c' },
              { type: 'image_url', image_url: { url: 'not a url' } },
            ],
          },
        ],
      },
      'messages[2].content[1].image_url.url',
      'invalid_image_url',
    ],
    [
      ask([{ type: 'image_url', image_url: { url: dataUrl(GIF_1x1, 'image/gif') } }]),
      'messages[0].content[0].image_url.url',
      'unsupported_image_type',
    ],
    [
      ask([{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@@not-base64@@@' } }]),
      'messages[0].content[0].image_url.url',
      'invalid_base64',
    ],
    [
      ask([{ type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } }]),
      'messages[0].content[0].image_url.url',
      'invalid_image_url',
    ],
    [
      { model: 'gemini-3-flash-preview', messages: [{ role: 'system', content: 'only a system prompt' }] },
      'messages',
      'missing_user_message',
    ],
  ])('%#: %j → param %s', async (body, param, code) => {
    const response = await postChat(body);
    const error = await expectError(response, 400, code, param);
    expect(error.type).toBe('invalid_request_error');
  });

  it('says what arrived when an image is of a type Gemini does not take', async () => {
    const response = await postChat(ask([{ type: 'image_url', image_url: { url: dataUrl(GIF_1x1, 'image/png') } }]));
    const error = await expectError(response, 400, 'unsupported_image_type');
    expect(error.message).toContain('image/gif');
  });

  it('refuses an image over MAX_IMAGE_BYTES with 413', async () => {
    const big = Buffer.alloc(TEST_LIMITS.maxImageBytes + 1024, 1);
    makePng(1, 1).copy(big);
    await expectError(
      await postChat(ask([{ type: 'image_url', image_url: { url: dataUrl(big) } }])),
      413,
      'image_too_large',
    );
  });

  it('refuses more images than MAX_IMAGES_PER_REQUEST', async () => {
    const parts = Array.from({ length: TEST_LIMITS.maxImagesPerRequest + 1 }, (_, i) => ({
      type: 'image_url',
      image_url: { url: dataUrl(makePng(2, 2, i)) },
    }));
    await expectError(await postChat(ask(parts)), 400, 'too_many_images', 'messages');
  });

  it('reports an image URL that fails or never answers', async () => {
    images.hang('/never');
    const missing = ask([{ type: 'image_url', image_url: { url: images.url('/missing.png') } }]);
    const error = await expectError(
      await postChat(missing),
      400,
      'image_fetch_failed',
      'messages[0].content[0].image_url.url',
    );
    expect(error.message).toContain('404');
    const started = Date.now();
    await expectError(
      await postChat(ask([{ type: 'image_url', image_url: { url: images.url('/never') } }])),
      400,
      'image_fetch_timeout',
    );
    expect(Date.now() - started).toBeLessThan(TEST_LIMITS.imageFetchTimeoutMs + 2_000);
  });
});

describe('upstream faults', () => {
  it.each([
    ['[fake:429]', 429, 'rate_limit_exceeded'],
    ['[fake:400]', 400, 'upstream_invalid_request'],
    ['[fake:403]', 502, 'upstream_auth_failed'],
    ['[fake:500]', 502, 'upstream_error'],
    ['[fake:503]', 503, 'upstream_overloaded'],
    ['[fake:malformed]', 502, 'upstream_bad_response'],
    ['[fake:cut]', 502, 'upstream_bad_response'],
  ])('%s → %i %s', async (directive, status, code) => {
    await expectError(await postChat(ask(`trouble ${directive}`)), status, code);
  });

  it('passes on the upstream RetryInfo as Retry-After, rounded up to whole seconds', async () => {
    // The recorded 429 says retryDelay "34.4s".
    const response = await postChat(ask('limit [fake:429]'));
    expect(response.headers.get('retry-after')).toBe('35');
  });

  it('reports an unknown model as 404 model_not_found on param model', async () => {
    const response = await postChat({ ...ask('hi'), model: 'gemini-does-not-exist' });
    const error = await expectError(response, 404, 'model_not_found', 'model');
    expect(error.message).toContain('gemini-does-not-exist');
  });

  it('times out a silent upstream with 504', async () => {
    const started = Date.now();
    await expectError(await postChat(ask('hang [fake:hang]')), 504, 'upstream_timeout');
    expect(Date.now() - started).toBeLessThan(TEST_LIMITS.upstreamTimeoutMs + 3_000);
  });

  it.each([
    ['[fake:safety]', 'content_filter'],
    ['[fake:recitation]', 'content_filter'],
    ['[fake:blocked]', 'content_filter'],
    ['[fake:max-tokens]', 'length'],
  ])('%s finishes with %s, never a raw Gemini reason', async (directive, reason) => {
    const response = await postChat(ask(`finish ${directive}`));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(validateOpenAI('CreateChatCompletionResponse', body)).toEqual([]);
    expect(body.choices[0].finish_reason).toBe(reason);

    const stream = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      stream: true,
      messages: [{ role: 'user', content: `finish ${directive}` }],
    });
    const reasons: string[] = [];
    for await (const chunk of stream) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) reasons.push(finish);
    }
    expect(reasons).toEqual([reason]);
  });

  it('stays healthy after all of the above', async () => {
    const completion = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'still there?' }],
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });
});
