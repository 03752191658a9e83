import { describe, expect, it } from 'vitest';
import type { GeminiCallInput, GeminiStream, StreamPart } from '@/lib/core/gemini-call';
import { ApiError } from '@/lib/errors';
import { candidateInputs, mergeCompletions, sumUsage } from '@/lib/openai/candidates';
import type { StreamOutcome } from '@/lib/openai/event-stream';
import { streamChatCompletion } from '@/lib/openai/stream-completion';
import type { OpenAIUsage } from '@/lib/openai/usage';
import { jsonEvents, parseSse } from '../../support/iris.ts';
import { validateOpenAI } from '../../support/openapi.ts';

const input = (seed?: number): GeminiCallInput => ({
  model: { asked: 'gemini-3-flash-preview', id: 'gemini-3-flash-preview', how: 'as-asked' },
  messages: [{ role: 'user', content: 'hi' }],
  settings: { temperature: 1, ...(seed === undefined ? {} : { seed }) },
});

const usage = (prompt: number, completion: number, reasoning = 0): OpenAIUsage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: reasoning },
});

describe('candidateInputs', () => {
  it('gives seeded candidates consecutive seeds, wrapping within int32, and leaves unseeded ones alone', () => {
    expect(candidateInputs(input(7), 3).map((i) => i.settings.seed)).toEqual([7, 8, 9]);
    expect(candidateInputs(input(2147483647), 2).map((i) => i.settings.seed)).toEqual([2147483647, -2147483648]);
    const unseeded = candidateInputs(input(), 2);
    expect(unseeded.map((i) => i.settings.seed)).toEqual([undefined, undefined]);
    expect(unseeded[1]?.settings.temperature).toBe(1);
    expect(candidateInputs(input(1), 1)).toHaveLength(1);
  });
});

describe('mergeCompletions and sumUsage', () => {
  it('numbers the choices in call order and sums every count, details included', () => {
    const completion = (text: string, u: OpenAIUsage) => ({
      id: 'chatcmpl-x',
      object: 'chat.completion' as const,
      choices: [{ index: 0, message: { role: 'assistant' as const, content: text }, finish_reason: 'stop' }],
      usage: u,
    });
    const merged = mergeCompletions([completion('a', usage(10, 3, 1)), completion('b', usage(10, 5, 2))]);
    expect(merged.id).toBe('chatcmpl-x');
    expect(merged.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(merged.usage).toEqual({
      prompt_tokens: 20,
      completion_tokens: 8,
      total_tokens: 28,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    expect(sumUsage([usage(1, 1)])).toEqual(usage(1, 1));
  });
});

/**
 * A candidate's core stream: its parts, then (with `hold`) nothing until the caller's abort, as a Gemini call
 * that has not finished would. Records whether the merge ended it.
 */
function candidate(parts: StreamPart[], options: { hold?: AbortSignal; failFirst?: unknown } = {}) {
  let ended = false;
  async function* generate(): AsyncGenerator<StreamPart> {
    try {
      if (options.failFirst) throw options.failFirst;
      for (const part of parts) yield part;
      const { hold } = options;
      if (hold) {
        await new Promise<void>((resolve) => hold.addEventListener('abort', () => resolve(), { once: true }));
        yield { type: 'abort' } as StreamPart;
      }
    } finally {
      ended = true;
    }
  }
  const stream: GeminiStream = { parts: generate(), model: () => input().model };
  return {
    stream,
    get ended() {
      return ended;
    },
  };
}

const sdkUsage = (input: number, output: number) =>
  ({
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    inputTokenDetails: { noCacheTokens: input, cacheReadTokens: 0, cacheWriteTokens: 0 },
    outputTokenDetails: { textTokens: output, reasoningTokens: 0 },
  }) as unknown as Extract<StreamPart, { type: 'finish' }>['totalUsage'];

const answer = (text: string, finishReason: 'stop' | 'length', usageOf: [number, number]): StreamPart[] =>
  [
    { type: 'start' },
    { type: 'start-step', request: {}, warnings: [] },
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', text },
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason, rawFinishReason: undefined, totalUsage: sdkUsage(...usageOf) },
  ] as unknown as StreamPart[];

/** Runs streamChatCompletion over the candidates' streams, as the handler does for n > 1. */
function merge(streams: GeminiStream[], options: { includeUsage?: boolean; commitAt?: number } = {}) {
  const upstreamAbort = new AbortController();
  const ends: StreamOutcome[] = [];
  const response = streamChatCompletion(streams, {
    identity: { id: 'chatcmpl-m', created: 1, model: 'gemini-3-flash-preview' },
    includeUsage: options.includeUsage ?? true,
    heartbeatMs: 20,
    commitAt: options.commitAt ?? performance.now() + 5_000,
    clientSignal: new AbortController().signal,
    upstreamAbort,
    errorContext: {},
    headers: { 'x-request-id': 'r' },
    onEnd: (outcome) => ends.push(outcome),
  });
  return { response, upstreamAbort, ends };
}

describe('n candidates streamed as one', () => {
  it('renumbers each candidate, keeps each finish, and sends one summed usage chunk before one [DONE]', async () => {
    const { response, ends } = merge([
      candidate(answer('a', 'stop', [4, 1])).stream,
      candidate(answer('b', 'length', [4, 2])).stream,
    ]);
    const merged = await response;
    expect(merged.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(merged.headers.get('x-request-id')).toBe('r');
    const events = parseSse(await merged.text());
    expect(events.at(-1)).toEqual({ data: '[DONE]' });
    expect(events.filter((e) => e.data === '[DONE]')).toHaveLength(1);
    const chunks = jsonEvents(events) as {
      choices: { index: number; delta: { content?: string }; finish_reason: string | null }[];
      usage: unknown;
    }[];
    for (const c of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', c)).toEqual([]);
    const byChoice = (i: number) => chunks.flatMap((c) => c.choices.filter((choice) => choice.index === i));
    expect(byChoice(0).map((c) => c.delta.content ?? c.finish_reason)).toEqual(['', 'a', 'stop']);
    expect(byChoice(1).map((c) => c.delta.content ?? c.finish_reason)).toEqual(['', 'b', 'length']);
    // Usage only once, on the last chunk, summed; every other chunk says null.
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: usage(8, 3) });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(ends).toEqual([{ status: 200 }]);
  });

  it("ends everything on a candidate's in-band error and stops the others", async () => {
    const upstream = new AbortController();
    const broken = new ApiError(502, 'Gemini ended the stream before finishing its answer.', {
      code: 'upstream_stream_interrupted',
    });
    const failing = candidate([
      ...answer('a', 'stop', [1, 1]).slice(0, 4),
      { type: 'error', error: broken } as StreamPart,
    ]);
    const silent = candidate(answer('b', 'stop', [1, 1]).slice(0, 2), { hold: upstream.signal });
    const { response, upstreamAbort, ends } = merge([failing.stream, silent.stream]);
    upstreamAbort.signal.addEventListener('abort', () => upstream.abort());
    const events = parseSse(await (await response).text());
    expect(jsonEvents(events).at(-1)).toEqual(broken.toJSON());
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
    expect(upstreamAbort.signal.aborted).toBe(true);
    await expect.poll(() => silent.ended).toBe(true);
    expect(ends).toEqual([{ status: 502, code: 'upstream_stream_interrupted' }]);
  });

  it('fails the request with a candidate that fails before streaming, stopping those that started', async () => {
    const upstream = new AbortController();
    const limited = new ApiError(429, 'slow down', { code: 'rate_limit_exceeded' });
    const started = candidate(answer('a', 'stop', [1, 1]).slice(0, 2), { hold: upstream.signal });
    const refused = candidate([], { failFirst: limited });
    const { response, upstreamAbort } = merge([started.stream, refused.stream]);
    upstreamAbort.signal.addEventListener('abort', () => upstream.abort());
    await expect(response).rejects.toBe(limited);
    expect(upstreamAbort.signal.aborted).toBe(true);
    await expect.poll(() => started.ended).toBe(true);
  });

  it('pings while no candidate has answered, and stops every candidate when the caller hangs up', async () => {
    const upstream = new AbortController();
    const first = candidate([], { hold: upstream.signal });
    const second = candidate([], { hold: upstream.signal });
    const { response, upstreamAbort, ends } = merge([first.stream, second.stream], { commitAt: performance.now() });
    upstreamAbort.signal.addEventListener('abort', () => upstream.abort());
    const reader = (await response).body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': ping')) text += decoder.decode((await reader?.read())?.value);
    // Both choices open at once, before Gemini has said anything.
    const opened = jsonEvents(parseSse(text.slice(0, text.indexOf(': ping')))) as { choices: { index: number }[] }[];
    expect(opened.map((c) => c.choices[0]?.index)).toEqual([0, 1]);
    await reader?.cancel();
    expect(upstreamAbort.signal.aborted).toBe(true);
    await expect.poll(() => first.ended && second.ended).toBe(true);
    expect(ends).toEqual([{ status: 499, code: 'client_closed' }]);
  });
});
