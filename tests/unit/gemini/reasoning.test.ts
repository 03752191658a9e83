import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { type ReasoningEffort, reasoningFor, thinksAtAll } from '@/lib/gemini/reasoning';
import { chatCompletion, chatCompletionChunk, newCompletionIdentity } from '@/lib/openai/chat-completion';
import { googleProviderOptions } from '@/lib/openai/google-extras';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { toApiError } from '@/lib/upstream-errors';
import { apiErrorOf } from '../../support/api-error.ts';
import { fakeGeminiForTests } from '../../support/fake-gemini-lifecycle.ts';
import { validateOpenAI } from '../../support/openapi.ts';

const base = { model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'hi' }] };
const rejection = (extra: object) => apiErrorOf(() => parseChatCompletionRequest({ ...base, ...extra }));

// A key from before Google's deprecations, so gemini-2.5-pro still answers it.
const fake = fakeGeminiForTests({ apiKeys: [], legacyApiKeys: ['fake-gemini-key'] });

const model = (id: string) => createGoogleGenerativeAI({ apiKey: 'fake-gemini-key', baseURL: fake().baseURL })(id);
function sentGenerationConfig(): Record<string, unknown> {
  const body = fake().requests.at(-1)?.body as { generationConfig?: Record<string, unknown> } | undefined;
  if (!body?.generationConfig) throw new Error('no generationConfig was sent');
  return body.generationConfig;
}

describe('reasoning_effort validation', () => {
  it('accepts every effort in the OpenAI spec, and null', () => {
    for (const effort of ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', null]) {
      expect(parseChatCompletionRequest({ ...base, reasoning_effort: effort }).reasoning_effort).toBe(effort);
    }
  });

  it('refuses an unknown effort naming the param and the allowed values', () => {
    const error = rejection({ reasoning_effort: 'extreme' });
    expect(error.status).toBe(400);
    expect(error.param).toBe('reasoning_effort');
    expect(error.message).toMatch(/"none", "minimal", "low", "medium", "high", "xhigh", "max"/);
  });
});

describe('reasoningFor', () => {
  it("takes Gemini's metadata over the name, and the name only when there is none", () => {
    const info = (thinking: boolean) => ({ id: 'gemini-3.6-flash', methods: ['generateContent'], thinking });
    expect(thinksAtAll({ id: 'gemini-3.6-flash', info: info(false) })).toBe(false);
    expect(thinksAtAll({ id: 'gemma-3-27b-it', info: { ...info(true), id: 'gemma-3-27b-it' } })).toBe(true);
    expect(() => reasoningFor({ id: 'gemini-3.6-flash', info: info(false) }, 'low')).toThrow(/does not think/);
  });

  it('knows which families think when the list cannot be read', () => {
    for (const id of ['gemini-3-flash-preview', 'gemini-3.1-pro-preview', 'gemini-2.5-flash', 'gemini-flash-latest'])
      expect(thinksAtAll({ id })).toBe(true);
    for (const id of ['gemini-2.0-flash', 'gemini-2.0-flash-lite-001', 'gemini-1.5-pro', 'gemma-3-27b-it'])
      expect(thinksAtAll({ id })).toBe(false);
  });

  it('leaves the default alone without an effort, and honours "none" on a model that cannot think', () => {
    expect(reasoningFor({ id: 'gemini-3-flash-preview' }, undefined)).toBeUndefined();
    expect(reasoningFor({ id: 'gemini-2.0-flash' }, 'none')).toBeUndefined();
  });

  it('refuses a real effort on a model that does not think, as Gemini would', () => {
    const error = apiErrorOf(() => {
      try {
        reasoningFor({ id: 'gemini-2.0-flash' }, 'low');
      } catch (cause) {
        throw toApiError(cause, { params: { reasoning: 'reasoning_effort' } });
      }
    });
    expect(error.status).toBe(400);
    expect(error.param).toBe('reasoning_effort');
    expect(error.code).toBe('unsupported_parameter');
    expect(error.message).toContain('gemini-2.0-flash');
  });

  // The mapping the README documents, checked on the wire the real SDK produces.
  it.each<[string, ReasoningEffort, Record<string, unknown>]>([
    ['gemini-3-flash-preview', 'none', { thinkingLevel: 'minimal' }],
    ['gemini-3-flash-preview', 'minimal', { thinkingLevel: 'minimal' }],
    ['gemini-3-flash-preview', 'low', { thinkingLevel: 'low' }],
    ['gemini-3-flash-preview', 'medium', { thinkingLevel: 'medium' }],
    ['gemini-3-flash-preview', 'high', { thinkingLevel: 'high' }],
    ['gemini-3-flash-preview', 'xhigh', { thinkingLevel: 'high' }],
    ['gemini-3-flash-preview', 'max', { thinkingLevel: 'high' }],
    ['gemini-3.1-pro-preview', 'none', { thinkingLevel: 'low' }],
    ['gemini-3.1-pro-preview', 'minimal', { thinkingLevel: 'low' }],
    ['gemini-3.8-flash', 'none', { thinkingLevel: 'low' }],
    ['gemini-2.5-flash', 'none', { thinkingBudget: 0 }],
    ['gemini-2.5-flash', 'minimal', { thinkingBudget: 1311 }],
    ['gemini-2.5-flash', 'low', { thinkingBudget: 6554 }],
    ['gemini-2.5-flash', 'medium', { thinkingBudget: 19661 }],
    ['gemini-2.5-flash', 'high', { thinkingBudget: 24576 }],
    ['gemini-2.5-pro', 'none', { thinkingBudget: 128 }],
    ['gemini-2.5-pro', 'max', { thinkingBudget: 32768 }],
  ])('%s with %s sends thinkingConfig %j', async (id, effort, thinkingConfig) => {
    await generateText({ model: model(id), prompt: 'hi', reasoning: reasoningFor({ id }, effort), maxRetries: 0 });
    expect(sentGenerationConfig().thinkingConfig).toEqual(thinkingConfig);
  });
});

describe('google extras (extra_body.google)', () => {
  it('maps thinking_config, safety_settings and cached_content to providerOptions.google', () => {
    const request = parseChatCompletionRequest({
      ...base,
      google: {
        thinking_config: { thinking_budget: 512, include_thoughts: true },
        safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
        cached_content: 'cachedContents/abc-123',
      },
    });
    const expected = {
      thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
      cachedContent: 'cachedContents/abc-123',
    };
    expect(googleProviderOptions(request)).toEqual(expected);
    // Google's documented spelling, a body field extra_body holding google, means the same.
    const nested = parseChatCompletionRequest({ ...base, extra_body: { google: request.google } });
    expect(googleProviderOptions(nested)).toEqual(expected);
    expect(googleProviderOptions({ reasoning_effort: 'low' })).toBeUndefined();
    expect(googleProviderOptions({ google: {} })).toBeUndefined();
  });

  it('names extra_body.google paths, and refuses the options sent twice', () => {
    const nested = rejection({ extra_body: { google: { safety_settings: [{ category: 'X', threshold: 'OFF' }] } } });
    expect(nested.param).toBe('extra_body.google.safety_settings[0].category');
    expect(rejection({ extra_body: { top_k: 3 } }).param).toBe('extra_body');
    const twice = apiErrorOf(() => googleProviderOptions({ google: {}, extra_body: { google: {} } }));
    expect(twice.status).toBe(400);
    expect(twice.param).toBe('extra_body.google');
  });

  it.each([
    [
      { safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_SOME' }] },
      'google.safety_settings[0].threshold',
      /"BLOCK_ONLY_HIGH"/,
    ],
    [
      { safety_settings: [{ category: 'HARASSMENT', threshold: 'OFF' }] },
      'google.safety_settings[0].category',
      /"HARM_CATEGORY_HARASSMENT"/,
    ],
    [
      { safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT' }] },
      'google.safety_settings[0].threshold',
      /must be one of/,
    ],
    [{ thinking_config: { thinking_budget: -2 } }, 'google.thinking_config.thinking_budget', /at least -1/],
    [{ thinking_config: { thinking_budget: 1.5 } }, 'google.thinking_config.thinking_budget', /integer/],
    [{ thinking_config: { thinking_level: 'huge' } }, 'google.thinking_config.thinking_level', /"minimal"/],
    [{ thinking_config: { include_thoughts: 'yes' } }, 'google.thinking_config.include_thoughts', /boolean/],
    [{ thinking_config: { includeThoughts: true } }, 'google.thinking_config', /includeThoughts/],
    [{ thinking_config: { thinking_budget: 10, thinking_level: 'low' } }, 'google.thinking_config', /not both/],
    [{ cached_content: 'abc' }, 'google.cached_content', /cachedContents\//],
    [{ response_modalities: ['TEXT'] }, 'google', /response_modalities/],
  ])('refuses google %j naming %s', (google, param, message) => {
    const error = rejection({ google });
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it('refuses reasoning_effort together with a thinking budget or level, naming the Gemini field', () => {
    const error = apiErrorOf(() =>
      googleProviderOptions({ google: { thinking_config: { thinking_level: 'low' } }, reasoning_effort: 'high' }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe('google.thinking_config.thinking_level');
    const nested = apiErrorOf(() =>
      googleProviderOptions({
        extra_body: { google: { thinking_config: { thinking_budget: 100 } } },
        reasoning_effort: 'high',
      }),
    );
    expect(nested.param).toBe('extra_body.google.thinking_config.thinking_budget');
    // include_thoughts alone goes well with an effort.
    expect(
      googleProviderOptions({ google: { thinking_config: { include_thoughts: true } }, reasoning_effort: 'high' }),
    ).toEqual({
      thinkingConfig: { includeThoughts: true },
    });
  });

  it('reaches Gemini merged with the effort', async () => {
    await generateText({
      model: model('gemini-3-flash-preview'),
      prompt: 'hi',
      reasoning: 'low',
      providerOptions: {
        google:
          googleProviderOptions({
            google: {
              thinking_config: { include_thoughts: true },
              safety_settings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
              cached_content: 'cachedContents/c1',
            },
            reasoning_effort: 'low',
          }) ?? {},
      },
      maxRetries: 0,
    });
    const body = fake().requests.at(-1)?.body as Record<string, unknown>;
    expect(sentGenerationConfig().thinkingConfig).toEqual({ thinkingLevel: 'low', includeThoughts: true });
    expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }]);
    expect(body.cachedContent).toBe('cachedContents/c1');
  });
});

describe('thought summaries', () => {
  it('the fake counts thoughts always but returns them only with includeThoughts, as Gemini does', async () => {
    const hidden = await generateText({ model: model(base.model), prompt: 'Think [fake:thinking]', maxRetries: 0 });
    expect(hidden.finalStep.reasoningText).toBeUndefined();
    expect(hidden.usage.outputTokenDetails.reasoningTokens).toBeGreaterThan(0);
    const shown = await generateText({
      model: model(base.model),
      prompt: 'Think [fake:thinking]',
      providerOptions: { google: { thinkingConfig: { includeThoughts: true } } },
      maxRetries: 0,
    });
    expect(shown.finalStep.reasoningText).toContain('Counting what arrived');
    expect(shown.text).not.toContain('Counting what arrived');
  });

  it('streams thoughts before the answer only when asked', async () => {
    const kinds = async (includeThoughts: boolean) => {
      const result = streamText({
        model: model(base.model),
        prompt: 'Think [fake:thinking]',
        providerOptions: { google: { thinkingConfig: { includeThoughts } } },
        maxRetries: 0,
        onError: () => {},
      });
      const seen: string[] = [];
      for await (const part of result.stream) if (part.type.endsWith('-delta')) seen.push(part.type);
      return [...new Set(seen)];
    };
    expect(await kinds(false)).toEqual(['text-delta']);
    expect(await kinds(true)).toEqual(['reasoning-delta', 'text-delta']);
  });

  it('appear as reasoning_content on the message and in deltas, still valid OpenAI shapes', () => {
    const identity = newCompletionIdentity(base.model);
    const usage = { inputTokens: 3, outputTokens: 9, totalTokens: 12, inputTokenDetails: {}, outputTokenDetails: {} };
    const withThoughts = chatCompletion(identity, {
      text: 'answer',
      finishReason: 'stop',
      usage: usage as never,
      finalStep: { reasoningText: 'pondering' },
    });
    expect(withThoughts.choices[0]?.message).toMatchObject({ content: 'answer', reasoning_content: 'pondering' });
    expect(validateOpenAI('CreateChatCompletionResponse', withThoughts)).toEqual([]);
    const without = chatCompletion(identity, { text: 'answer', finishReason: 'stop', usage: usage as never });
    expect(without.choices[0]?.message).not.toHaveProperty('reasoning_content');
    const chunk = chatCompletionChunk(identity, { delta: { reasoning_content: 'hmm' } }, null);
    expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
  });
});
