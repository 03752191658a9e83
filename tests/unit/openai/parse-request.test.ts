import { describe, expect, it } from 'vitest';
import { formatParam, parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { apiErrorOf } from '../../support/api-error.ts';

const user = (content: unknown) => ({ role: 'user', content });
const valid = { model: 'gemini-3-flash-preview', messages: [user('hi')] };

const rejection = (body: unknown) => apiErrorOf(() => parseChatCompletionRequest(body));

describe('parseChatCompletionRequest', () => {
  it('accepts a minimal request and every mapped parameter', () => {
    const parsed = parseChatCompletionRequest({
      ...valid,
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 100,
      max_completion_tokens: 50,
      stop: ['END'],
      seed: 7,
      stream: true,
      stream_options: { include_usage: true },
      user: 'u-1',
    });
    expect(parsed.max_completion_tokens).toBe(50);
    expect(parsed.stream_options?.include_usage).toBe(true);
  });

  it('accepts text and image parts, image-only messages, developer and assistant turns', () => {
    expect(() =>
      parseChatCompletionRequest({
        model: 'm',
        messages: [
          { role: 'developer', content: 'be brief' },
          { role: 'system', content: [{ type: 'text', text: 'really' }] },
          user([{ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } }]),
          { role: 'assistant', content: 'a cat' },
          { role: 'assistant', content: null },
          user([{ type: 'text', text: 'and?' }]),
        ],
      }),
    ).not.toThrow();
  });

  it('accepts neutral values of parameters it cannot serve yet, and ignores unknown fields', () => {
    expect(() =>
      parseChatCompletionRequest({
        ...valid,
        n: 1,
        presence_penalty: 0,
        logprobs: false,
        tool_choice: 'none',
        x_vendor: 1,
      }),
    ).not.toThrow();
  });

  it.each([
    [{ ...valid, temperature: 3 }, 'temperature', /at most 2/],
    [{ ...valid, temperature: 'hot' }, 'temperature', /must be a number/],
    [{ ...valid, top_p: -0.1 }, 'top_p', /at least 0/],
    [{ ...valid, max_tokens: 1.5 }, 'max_tokens', /integer/],
    [{ ...valid, max_completion_tokens: 0 }, 'max_completion_tokens', /at least 1/],
    [{ ...valid, stop: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'stop', /5 stop sequences/],
    [{ ...valid, seed: 'x' }, 'seed', /must be a number/],
    [{ ...valid, stream: 'yes' }, 'stream', /boolean/],
    [{ messages: valid.messages }, 'model', /required/],
    [{ ...valid, model: '' }, 'model', /must name a model/],
    [{ model: 'm', messages: [] }, 'messages', /at least one message/],
    [{ model: 'm', messages: 'hi' }, 'messages', /must be an array/],
    [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /not one Iris knows/],
    [{ model: 'm', messages: [{ content: 'x' }] }, 'messages[0].role', /not one Iris knows/],
    [{ model: 'm', messages: [user(42)] }, 'messages[0].content', /./],
    [
      {
        model: 'm',
        messages: [
          user('a'),
          { role: 'assistant', content: 'b' },
          user([
            { type: 'text', text: 'c' },
            { type: 'image_url', image_url: { url: 7 } },
          ]),
        ],
      },
      'messages[2].content[1].image_url.url',
      /must be a string/,
    ],
    [
      { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'ultra' } }])] },
      'messages[0].content[0].image_url.detail',
      /"auto", "low", "high"/,
    ],
    [
      { model: 'm', messages: [user([{ type: 'video', video: {} }])] },
      'messages[0].content[0].type',
      /not one Iris knows/,
    ],
    [{ model: 'm', messages: [user([{ type: 'text' }])] }, 'messages[0].content[0].text', /required/],
  ])('rejects %j naming param %s', (body, param, message) => {
    const error = rejection(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ functions: [{ name: 'f' }] }, 'functions'],
    [{ function_call: 'auto' }, 'function_call'],
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 2 }, 'top_logprobs'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
  ])('refuses %j as not supported yet rather than dropping it', (extra, param) => {
    const error = rejection({ ...valid, ...extra });
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.code).toBe('unsupported_parameter');
  });

  it('refuses deprecated function turns and non-image media parts with their position', () => {
    expect(rejection({ model: 'm', messages: [user('a'), { role: 'function', content: 'x', name: 'f' }] }).param).toBe(
      'messages[1].role',
    );
    expect(
      rejection({
        model: 'm',
        messages: [
          user([
            { type: 'text', text: 'a' },
            { type: 'input_audio', input_audio: {} },
          ]),
        ],
      }).param,
    ).toBe('messages[0].content[1].input_audio.data');
  });

  it("accepts n up to Gemini's 8 candidates, penalties, audio and file parts; refuses n above 8", () => {
    const parsed = parseChatCompletionRequest({
      ...valid,
      n: 8,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      messages: [
        user([
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
        ]),
      ],
    });
    expect(parsed.n).toBe(8);
    expect(parsed.presence_penalty).toBe(0.5);
    const error = rejection({ ...valid, n: 9 });
    expect([error.status, error.param, error.message]).toEqual([400, 'n', 'n must be at most 8.']);
    const ogg = user([{ type: 'input_audio', input_audio: { data: 'AA==', format: 'ogg' } }]);
    expect(rejection({ ...valid, messages: [ogg] }).param).toBe('messages[0].content[0].input_audio.format');
  });

  it('refuses a body that is not an object', () => {
    expect(rejection([1, 2]).code).toBe('invalid_json');
    expect(rejection(null).status).toBe(400);
  });
});

describe('formatParam', () => {
  it('writes paths the way OpenAI names params', () => {
    expect(formatParam(['messages', 2, 'content', 1, 'image_url', 'url'])).toBe('messages[2].content[1].image_url.url');
    expect(formatParam([])).toBe('');
  });
});
