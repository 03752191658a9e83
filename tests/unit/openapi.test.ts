// Proves tests/support/openapi.ts accepts what OpenAI itself returns and rejects what a careless translation of
// Gemini output would produce. Spec quirks an implementation must respect (openai-openapi 2.3.0, f85dbe2):
//
// Non-streaming `chat.completion`
//   - Required top level: id, object ('chat.completion'), created (integer), model, choices. `usage` is optional.
//   - Each choice requires index, message, finish_reason AND logprobs: `logprobs: null` must be sent, not omitted.
//   - finish_reason is lower case, one of stop | length | tool_calls | content_filter | function_call, never null.
//   - message requires role ('assistant'), content AND refusal: both keys present, either may be null.
//   - system_fingerprint is optional but a plain string: send a string or leave it out, never null.
//     service_tier, by contrast, may be null.
// Streaming `chat.completion.chunk`
//   - Same required top level (with object 'chat.completion.chunk'); `usage` is declared with OpenAPI 3.0
//     `nullable: true`, so `usage: null` on ordinary chunks is allowed and the validator rewrites it to 3.1 form.
//   - Each choice requires index, delta AND finish_reason: `finish_reason: null` must be sent on every chunk but
//     the last, not omitted. logprobs is optional (and nullable).
//   - delta may be `{}`; delta.role is optional (any role is allowed by the schema, Iris sends 'assistant').
//   - choices has no minItems: the include_usage chunk is `choices: []` with a non-null usage.
//   - delta.tool_calls[] items require only `index` (id/type/function are optional on continuation chunks).
// Errors
//   - error requires message, type, param AND code; param and code may be null but must be present.
//   - code is string | null: a numeric code such as 401 is invalid (put the HTTP status elsewhere).
// Models
//   - Model requires id, object ('model'), created (integer), owned_by; the list requires object 'list' and data.
//   - Model has no `type: object`, so on its own it accepts non-objects (asserted below so nobody relies on it).
// General
//   - `created` everywhere is integer Unix seconds (format `unixtime`): a float such as Date.now() / 1000 fails,
//     but milliseconds would pass, so use Math.floor(Date.now() / 1000).
//   - No schema sets additionalProperties: false, so misspelt OPTIONAL fields (e.g. `finishReason`) pass.
//   - The spec still has ~20 OpenAPI 3.0 `nullable: true` flags (stream finish_reason, usage, logprobs, many
//     request fields); stock Ajv would reject `finish_reason: null` (enum wins) and throw on `usage`
//     ($ref without type), hence the rewrite in tests/support/openapi.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectValidOpenAI, validateOpenAI } from '../support/openapi';

const created = 1_767_225_600;

function completion(): Record<string, unknown> {
  return {
    id: 'chatcmpl-iris-123',
    object: 'chat.completion',
    created,
    model: 'gemini-2.5-flash',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'A cat on a sofa.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 1117,
      completion_tokens: 46,
      total_tokens: 1163,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 12 },
    },
  };
}

function firstChunk(): Record<string, unknown> {
  return {
    id: 'chatcmpl-iris-123',
    object: 'chat.completion.chunk',
    created,
    model: 'gemini-2.5-flash',
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    usage: null,
  };
}

function usageChunk(): Record<string, unknown> {
  return {
    id: 'chatcmpl-iris-123',
    object: 'chat.completion.chunk',
    created,
    model: 'gemini-2.5-flash',
    choices: [],
    usage: {
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

function errorEnvelope(): { error: Record<string, unknown> } {
  return { error: { message: 'Invalid API key.', type: 'invalid_request_error', param: null, code: null } };
}

function modelList(): Record<string, unknown> {
  return {
    object: 'list',
    data: [
      { id: 'gemini-2.5-flash', object: 'model', created: 0, owned_by: 'google' },
      { id: 'gemini-2.5-pro', object: 'model', created: 0, owned_by: 'google' },
    ],
  };
}

function firstChoice(value: Record<string, unknown>): Record<string, unknown> {
  const choice = (value.choices as Record<string, unknown>[])[0];
  if (!choice) throw new Error('fixture has no choice');
  return choice;
}

describe('validateOpenAI accepts what OpenAI returns', () => {
  it('a chat.completion with detailed usage and null refusal/logprobs', () => {
    expect(validateOpenAI('CreateChatCompletionResponse', completion())).toEqual([]);
    expect(() => expectValidOpenAI('CreateChatCompletionResponse', completion())).not.toThrow();
  });

  it('a chat.completion whose content is null and service_tier null', () => {
    const value = completion();
    const choice = firstChoice(value);
    choice.message = { role: 'assistant', content: null, refusal: null };
    value.service_tier = null;
    expect(validateOpenAI('CreateChatCompletionResponse', value)).toEqual([]);
  });

  it('a first stream chunk with role, empty content, null finish_reason and null usage', () => {
    expect(validateOpenAI('CreateChatCompletionStreamResponse', firstChunk())).toEqual([]);
  });

  it('a stream chunk without logprobs and without usage, and a last chunk with an empty delta', () => {
    const middle = firstChunk();
    delete middle.usage;
    middle.choices = [{ index: 0, delta: { content: 'A cat' }, finish_reason: null }];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', middle)).toEqual([]);

    const last = firstChunk();
    last.choices = [{ index: 0, delta: {}, finish_reason: 'length' }];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', last)).toEqual([]);
  });

  it('the final include_usage chunk with choices: []', () => {
    expect(validateOpenAI('CreateChatCompletionStreamResponse', usageChunk())).toEqual([]);
  });

  it('an error envelope with null param and code', () => {
    expect(validateOpenAI('ErrorResponse', errorEnvelope())).toEqual([]);
    const withCode = errorEnvelope();
    withCode.error.code = 'invalid_api_key';
    withCode.error.param = 'messages';
    expect(validateOpenAI('ErrorResponse', withCode)).toEqual([]);
  });

  it('a models list and a single model', () => {
    expect(validateOpenAI('ListModelsResponse', modelList())).toEqual([]);
    expect(validateOpenAI('Model', { id: 'gemini-2.5-flash', object: 'model', created, owned_by: 'google' })).toEqual(
      [],
    );
  });

  it('a vision request with text and image_url parts, streaming with include_usage', () => {
    const request = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' } },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: null,
      temperature: 0.2,
    };
    expect(validateOpenAI('CreateChatCompletionRequest', request)).toEqual([]);
  });
});

describe('validateOpenAI rejects wrong shapes', () => {
  it('a finish_reason of "STOP" (Gemini spelling)', () => {
    const value = completion();
    firstChoice(value).finish_reason = 'STOP';
    const errors = validateOpenAI('CreateChatCompletionResponse', value);
    expect(errors.join('\n')).toMatch(/\/choices\/0\/finish_reason: must be equal to one of the allowed values/);
    expect(() => expectValidOpenAI('CreateChatCompletionResponse', value)).toThrow(/finish_reason/);
  });

  it('a missing created', () => {
    const value = completion();
    delete value.created;
    expect(validateOpenAI('CreateChatCompletionResponse', value)).toEqual([
      expect.stringMatching(/^\(root\): must have required property 'created'/),
    ]);
  });

  it('a fractional created (seconds as a float)', () => {
    const value = completion();
    value.created = 1_767_225_600.5;
    expect(validateOpenAI('CreateChatCompletionResponse', value).join('\n')).toMatch(/\/created: must be integer/);
  });

  it('object "chat.completion.chunk" on the non-stream schema, and the reverse', () => {
    const value = completion();
    value.object = 'chat.completion.chunk';
    expect(validateOpenAI('CreateChatCompletionResponse', value).join('\n')).toMatch(/\/object: must be equal to/);

    const chunk = firstChunk();
    chunk.object = 'chat.completion';
    expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk).join('\n')).toMatch(/\/object: must be equal/);
  });

  it('a choice without logprobs or a message without refusal', () => {
    const noLogprobs = completion();
    delete firstChoice(noLogprobs).logprobs;
    expect(validateOpenAI('CreateChatCompletionResponse', noLogprobs).join('\n')).toMatch(/property 'logprobs'/);

    const noRefusal = completion();
    firstChoice(noRefusal).message = { role: 'assistant', content: 'x' };
    expect(validateOpenAI('CreateChatCompletionResponse', noRefusal).join('\n')).toMatch(/property 'refusal'/);
  });

  it('a null finish_reason or null system_fingerprint on the non-stream schema', () => {
    const nullFinish = completion();
    firstChoice(nullFinish).finish_reason = null;
    expect(validateOpenAI('CreateChatCompletionResponse', nullFinish)).not.toEqual([]);

    const nullFingerprint = completion();
    nullFingerprint.system_fingerprint = null;
    expect(validateOpenAI('CreateChatCompletionResponse', nullFingerprint).join('\n')).toMatch(
      /\/system_fingerprint: must be string/,
    );
  });

  it('usage without total_tokens', () => {
    const value = usageChunk();
    delete (value.usage as Record<string, unknown>).total_tokens;
    expect(validateOpenAI('CreateChatCompletionStreamResponse', value).join('\n')).toMatch(/total_tokens/);
  });

  it('an error without type, without param, or with a numeric code', () => {
    const noType = errorEnvelope();
    delete noType.error.type;
    expect(validateOpenAI('ErrorResponse', noType)).toEqual([
      expect.stringMatching(/^\/error: must have required property 'type'/),
    ]);

    const noParam = errorEnvelope();
    delete noParam.error.param;
    expect(validateOpenAI('ErrorResponse', noParam).join('\n')).toMatch(/property 'param'/);

    const numericCode = errorEnvelope();
    numericCode.error.code = 401;
    expect(validateOpenAI('ErrorResponse', numericCode).join('\n')).toMatch(/\/error\/code/);

    expect(validateOpenAI('ErrorResponse', { message: 'flat, no envelope' })).not.toEqual([]);
  });

  it('a stream chunk choice without index, or without finish_reason', () => {
    const noIndex = firstChunk();
    noIndex.choices = [{ delta: { content: 'x' }, finish_reason: null }];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', noIndex)).toEqual([
      expect.stringMatching(/^\/choices\/0: must have required property 'index'/),
    ]);

    const noFinish = firstChunk();
    noFinish.choices = [{ index: 0, delta: { content: 'x' } }];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', noFinish).join('\n')).toMatch(
      /property 'finish_reason'/,
    );
  });

  it('a stream finish_reason of "STOP" and a tool-call delta without index', () => {
    const value = firstChunk();
    value.choices = [{ index: 0, delta: {}, finish_reason: 'STOP' }];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', value)).not.toEqual([]);

    const toolDelta = firstChunk();
    toolDelta.choices = [
      { index: 0, delta: { tool_calls: [{ id: 'call_1', type: 'function' }] }, finish_reason: null },
    ];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', toolDelta).join('\n')).toMatch(
      /tool_calls\/0: must have required property 'index'/,
    );
  });

  it('a models list with the wrong object or a model without owned_by', () => {
    const wrongObject = modelList();
    wrongObject.object = 'models';
    expect(validateOpenAI('ListModelsResponse', wrongObject)).not.toEqual([]);

    const noOwner = modelList();
    noOwner.data = [{ id: 'gemini-2.5-flash', object: 'model', created }];
    expect(validateOpenAI('ListModelsResponse', noOwner).join('\n')).toMatch(/\/data\/0: .*'owned_by'/);
  });

  it('non-objects for the response schemas', () => {
    for (const value of [null, 'ok', 42, []]) {
      expect(validateOpenAI('CreateChatCompletionResponse', value)).not.toEqual([]);
      expect(validateOpenAI('CreateChatCompletionStreamResponse', value)).not.toEqual([]);
      expect(validateOpenAI('ErrorResponse', value)).not.toEqual([]);
      expect(validateOpenAI('ListModelsResponse', value)).not.toEqual([]);
    }
  });

  it('a request with no messages or an unknown role', () => {
    expect(validateOpenAI('CreateChatCompletionRequest', { model: 'm', messages: [] })).not.toEqual([]);
    expect(
      validateOpenAI('CreateChatCompletionRequest', { model: 'm', messages: [{ role: 'robot', content: 'hi' }] }),
    ).not.toEqual([]);
  });
});

describe('spec quirks worth knowing', () => {
  it('Model has no type: object, so by itself it does not reject a non-object', () => {
    expect(validateOpenAI('Model', 'gemini-2.5-flash')).toEqual([]);
  });

  it('unknown optional fields are not rejected (no additionalProperties: false)', () => {
    const value = completion();
    value.finishReason = 'STOP';
    expect(validateOpenAI('CreateChatCompletionResponse', value)).toEqual([]);
  });
});

describe('the fixture', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/openai-schemas.json', import.meta.url), 'utf8')) as {
    info: { version: string };
    components: { schemas: Record<string, unknown> };
  };

  it('is self-contained: every $ref points at a schema it contains', () => {
    const refs = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else walk(value);
        }
      }
    };
    walk(fixture.components.schemas);
    const names = new Set(Object.keys(fixture.components.schemas));
    const dangling = [...refs].filter((ref) => !names.has(ref.replace('#/components/schemas/', '')));
    expect(dangling).toEqual([]);
    expect(fixture.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
