import type { AIMessageChunk } from '@langchain/core/messages';
import { generateText, streamText } from 'ai';
import { BadRequestError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources';
import { describe, expect, it } from 'vitest';
import { irisChatOpenAI, irisOpenAICompatible } from '../support/clients.ts';
import { newTag, openai, postChat, upstreamRequests } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { recordingFetch } from '../support/recording-fetch.ts';

/**
 * Reasoning through Iris with the three real clients, streamed and not: reasoning_effort reaches Gemini as its
 * thinkingConfig, thinking is counted in reasoning_tokens, and thought summaries (asked for with
 * google.thinking_config.include_thoughts, as with Google's own OpenAI layer) arrive as `reasoning_content`.
 */

const MODEL = 'gemini-3-flash-preview';
const THOUGHT = 'Counting what arrived';
const GOOGLE_THOUGHTS = { google: { thinking_config: { include_thoughts: true } } };

interface SentRequest {
  generationConfig: { thinkingConfig?: Record<string, unknown> };
  safetySettings?: unknown;
  cachedContent?: unknown;
}

async function sent(tag: string): Promise<SentRequest> {
  const [upstream] = await upstreamRequests(tag);
  return upstream?.body as SentRequest;
}

// The openai client sends fields it has no type for as they are (what Python's extra_body does).
const withExtras = <T>(params: T, extras: object): T => ({ ...params, ...extras });

describe('openai client', () => {
  it('maps reasoning_effort and counts thinking, without thoughts unless asked', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: `Think first [fake:thinking] [tag:${tag}]` }],
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'low' });
    const usage = completion.usage;
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(usage?.completion_tokens_details?.reasoning_tokens ?? 0);
    expect(completion.choices[0]?.message).not.toHaveProperty('reasoning_content');
  });

  it('returns thought summaries as message.reasoning_content with include_thoughts', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create(
      withExtras<ChatCompletionCreateParamsNonStreaming>(
        {
          model: MODEL,
          reasoning_effort: 'high',
          messages: [{ role: 'user', content: `Think first [fake:thinking] [tag:${tag}]` }],
        },
        GOOGLE_THOUGHTS,
      ),
    );
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    const message = completion.choices[0]?.message as { content: string; reasoning_content?: string };
    expect(message.reasoning_content).toContain(THOUGHT);
    expect(message.content).not.toContain(THOUGHT);
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'high', includeThoughts: true });
  });

  it("takes Google's documented form, a body field extra_body.google, as Google's JS example sends it", async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create(
      withExtras<ChatCompletionCreateParamsNonStreaming>(
        { model: MODEL, messages: [{ role: 'user', content: `Think first [fake:thinking] [tag:${tag}]` }] },
        { extra_body: { google: { thinking_config: { thinking_level: 'low', include_thoughts: true } } } },
      ),
    );
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    expect(completion.choices[0]?.message).toMatchObject({ reasoning_content: expect.stringContaining(THOUGHT) });
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'low', includeThoughts: true });
  });

  it('streams reasoning_content deltas before the answer, and reasoning_tokens in the usage chunk', async () => {
    const tag = newTag();
    const stream = await openai().chat.completions.create(
      withExtras<ChatCompletionCreateParamsStreaming>(
        {
          model: MODEL,
          reasoning_effort: 'medium',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: `Think first [fake:thinking] [tag:${tag}] [fake:chunks:3]` }],
        },
        GOOGLE_THOUGHTS,
      ),
    );
    const order: string[] = [];
    let reasoning = '';
    let reasoningTokens = 0;
    for await (const chunk of stream) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      if (delta?.reasoning_content) {
        order.push('reasoning');
        reasoning += delta.reasoning_content;
      }
      if (delta?.content) order.push('content');
      reasoningTokens = chunk.usage?.completion_tokens_details?.reasoning_tokens ?? reasoningTokens;
    }
    expect(reasoning).toContain(THOUGHT);
    expect(order[0]).toBe('reasoning');
    expect(order.lastIndexOf('reasoning')).toBeLessThan(order.indexOf('content'));
    expect(reasoningTokens).toBeGreaterThan(0);
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({
      thinkingLevel: 'medium',
      includeThoughts: true,
    });
  });

  it('maps efforts per family of the model that serves the call: budgets on 2.5, levels on 3, replacements followed', async () => {
    const budgetTag = newTag();
    await openai().chat.completions.create({
      model: 'gemini-2.5-flash-lite',
      reasoning_effort: 'none',
      messages: [{ role: 'user', content: `Quick [tag:${budgetTag}]` }],
    });
    expect((await sent(budgetTag)).generationConfig.thinkingConfig).toEqual({ thinkingBudget: 0 });
    // gemini-2.0-flash is no longer listed: the newest flash serves it, and thinks in levels (3.7 and later Flash
    // cannot go below "low").
    const replacedTag = newTag();
    await openai().chat.completions.create({
      model: 'gemini-2.0-flash',
      reasoning_effort: 'none',
      messages: [{ role: 'user', content: `Quick [tag:${replacedTag}]` }],
    });
    expect((await sent(replacedTag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'low' });
  });

  it('sends nothing for "none" on a model whose metadata says it does not think', async () => {
    const noneTag = newTag();
    await openai().chat.completions.create({
      model: 'gemma-3-27b-it',
      reasoning_effort: 'none',
      messages: [{ role: 'user', content: `Quick [tag:${noneTag}]` }],
    });
    expect((await sent(noneTag)).generationConfig).not.toHaveProperty('thinkingConfig');
  });

  it('refuses an effort a non-thinking model cannot honour, before calling Gemini', async () => {
    const tag = newTag();
    const error = await openai()
      .chat.completions.create({
        model: 'gemma-3-27b-it',
        reasoning_effort: 'high',
        messages: [{ role: 'user', content: `Think [tag:${tag}]` }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('reasoning_effort');
    expect((error as BadRequestError).code).toBe('unsupported_parameter');
    expect(await upstreamRequests(tag)).toEqual([]);
  });
});

describe('google extras over HTTP', () => {
  it('forwards safety_settings and cached_content', async () => {
    const tag = newTag();
    const response = await postChat({
      model: MODEL,
      messages: [{ role: 'user', content: `Hi [tag:${tag}]` }],
      google: {
        safety_settings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_LOW_AND_ABOVE' }],
        cached_content: 'cachedContents/iris-test',
      },
    });
    expect(response.status).toBe(200);
    expect(validateOpenAI('CreateChatCompletionResponse', await response.json())).toEqual([]);
    const body = await sent(tag);
    expect(body.safetySettings).toEqual([
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_LOW_AND_ABOVE' },
    ]);
    expect(body.cachedContent).toBe('cachedContents/iris-test');
  });

  it.each([
    [
      { safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_MOST' }] },
      'google.safety_settings[0].threshold',
    ],
    [{ thinking_config: { thinking_level: 'low' } }, 'google.thinking_config.thinking_level'],
  ])('answers google %j with a 400 naming %s', async (google, param) => {
    const response = await postChat({
      model: MODEL,
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Hi' }],
      google,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; type: string } };
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error).toMatchObject({ param, type: 'invalid_request_error' });
  });
});

describe('@ai-sdk/openai-compatible', () => {
  const provider = (fetch: typeof globalThis.fetch) => irisOpenAICompatible(fetch);

  it('generateText reads reasoning_content as reasoning and counts reasoning tokens', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const result = await generateText({
      model: provider(recorder.fetch)(MODEL),
      prompt: `Think [fake:thinking] [tag:${tag}]`,
      reasoning: 'high',
      providerOptions: { iris: GOOGLE_THOUGHTS },
      maxRetries: 0,
    });
    expect(result.finalStep.reasoningText).toContain(THOUGHT);
    expect(result.text).not.toContain(THOUGHT);
    expect(result.usage.outputTokenDetails.reasoningTokens).toBeGreaterThan(0);
    expect(await recorder.schemaErrors()).toMatchObject({ errors: [], completions: 1 });
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'high', includeThoughts: true });
  });

  it('streamText streams reasoning deltas, then text', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const result = streamText({
      model: provider(recorder.fetch)(MODEL),
      prompt: `Think [fake:thinking] [tag:${tag}]`,
      reasoning: 'low',
      providerOptions: { iris: GOOGLE_THOUGHTS },
      maxRetries: 0,
      onError: () => {},
    });
    const kinds: string[] = [];
    let reasoning = '';
    for await (const part of result.stream) {
      if (part.type === 'reasoning-delta') reasoning += part.text;
      if (part.type === 'reasoning-delta' || part.type === 'text-delta') kinds.push(part.type);
    }
    expect(reasoning).toContain(THOUGHT);
    expect([...new Set(kinds)]).toEqual(['reasoning-delta', 'text-delta']);
    expect((await result.usage).outputTokenDetails.reasoningTokens).toBeGreaterThan(0);
    const checked = await recorder.schemaErrors();
    expect(checked.errors).toEqual([]);
    expect(checked.chunks).toBeGreaterThan(2);
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'low', includeThoughts: true });
  });
});

describe('LangChain ChatOpenAI', () => {
  // LangChain sends `reasoning` only for OpenAI's own reasoning models, so other models take it through modelKwargs.
  const chat = (fetch: typeof globalThis.fetch, streaming = false) =>
    irisChatOpenAI(MODEL, fetch, { streaming, modelKwargs: { reasoning_effort: 'low', ...GOOGLE_THOUGHTS } });

  it('invoke puts the thoughts in additional_kwargs.reasoning_content', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const message = await chat(recorder.fetch).invoke(`Think [fake:thinking] [tag:${tag}]`);
    expect(message.additional_kwargs.reasoning_content).toContain(THOUGHT);
    expect(message.content).not.toContain(THOUGHT);
    expect(message.usage_metadata?.output_token_details?.reasoning).toBeGreaterThan(0);
    expect(await recorder.schemaErrors()).toMatchObject({ errors: [], completions: 1 });
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'low', includeThoughts: true });
  });

  it('stream yields reasoning_content chunks, then the answer', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    let reasoning = '';
    let content = '';
    const stream = await chat(recorder.fetch, true).stream(`Think [fake:thinking] [tag:${tag}]`);
    for await (const chunk of stream as AsyncIterable<AIMessageChunk>) {
      const piece = chunk.additional_kwargs.reasoning_content;
      if (typeof piece === 'string') reasoning += piece;
      if (typeof chunk.content === 'string') content += chunk.content;
    }
    expect(reasoning).toContain(THOUGHT);
    expect(content).toContain('Fake Gemini received');
    const checked = await recorder.schemaErrors();
    expect(checked.errors).toEqual([]);
    expect(checked.chunks).toBeGreaterThan(2);
    expect((await sent(tag)).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'low', includeThoughts: true });
  });
});
