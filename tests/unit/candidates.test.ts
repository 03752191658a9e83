import { describe, expect, it } from 'vitest';
import type { GeminiCallInput } from '@/lib/core/gemini-call';
import { ApiError } from '@/lib/errors';
import { type Bytes, SSE_DONE, sseComment, sseData } from '@/lib/http/sse';
import {
  candidateInputs,
  mergeCompletions,
  type StreamOutcome,
  streamCandidates,
  sumUsage,
} from '@/lib/openai/candidates';
import type { OpenAIUsage } from '@/lib/openai/response-format';
import { jsonEvents, parseSse } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';

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

/** A candidate stream shaped as streamChatCompletion writes it; `held` keeps it silent until released. */
function candidateStream(events: Bytes[], held = false) {
  let cancelled = false;
  let release: () => void = () => {};
  const gate = held ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const body = new ReadableStream<Bytes>({
    async pull(controller) {
      await gate;
      const next = events.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
    cancel() {
      cancelled = true;
      release();
    },
  });
  return {
    body,
    get cancelled() {
      return cancelled;
    },
  };
}

const identity = { id: 'chatcmpl-m', object: 'chat.completion.chunk', created: 1, model: 'gemini-3-flash-preview' };
const chunk = (delta: object, finish: string | null = null) =>
  sseData({ ...identity, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null });
const usageChunk = (u: OpenAIUsage) => sseData({ ...identity, choices: [], usage: u });

type Starter = (onEnd: (outcome: StreamOutcome) => void) => Promise<Response>;

/** Runs streamCandidates over one starter per candidate; the calls are only tokens telling candidates apart. */
async function merge(starters: Starter[], includeUsage = true) {
  const calls = starters.map((_, i) => input(i));
  const upstreamAbort = new AbortController();
  const ends: StreamOutcome[] = [];
  const response = streamCandidates(calls, (call, onEnd) => (starters[calls.indexOf(call)] as Starter)(onEnd), {
    includeUsage,
    headers: { 'x-request-id': 'r' },
    upstreamAbort,
    onEnd: (outcome) => ends.push(outcome),
  });
  return { response, upstreamAbort, ends };
}

const serve =
  (body: ReadableStream<Bytes>): Starter =>
  async () =>
    new Response(body);

describe('streamCandidates', () => {
  it('renumbers each candidate, keeps each finish, and sends one summed usage chunk before one [DONE]', async () => {
    const streams = [
      [chunk({ role: 'assistant', content: '' }), chunk({ content: 'a' }), chunk({}, 'stop'), usageChunk(usage(4, 1))],
      [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'b' }),
        chunk({}, 'length'),
        usageChunk(usage(4, 2)),
      ],
    ].map((events) => candidateStream([...events, SSE_DONE]));
    const { response, ends } = await merge(streams.map((s) => serve(s.body)));
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

  it("ends everything on a candidate's in-band error, which is forwarded as is, and logs that candidate's outcome", async () => {
    const error = {
      error: {
        message: 'Gemini ended the stream',
        type: 'server_error',
        param: null,
        code: 'upstream_stream_interrupted',
      },
    };
    const failing = candidateStream([chunk({ role: 'assistant', content: '' }), sseData(error)]);
    const silent = candidateStream([chunk({ role: 'assistant', content: '' })], true);
    const { response, upstreamAbort, ends } = await merge([
      async (onEnd) => {
        onEnd({ status: 502, code: 'upstream_stream_interrupted' });
        return new Response(failing.body);
      },
      serve(silent.body),
    ]);
    const events = parseSse(await (await response).text());
    expect(jsonEvents(events).at(-1)).toEqual(error);
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
    expect(silent.cancelled).toBe(true);
    expect(upstreamAbort.signal.aborted).toBe(true);
    expect(ends).toEqual([{ status: 502, code: 'upstream_stream_interrupted' }]);
  });

  it('fails the request with the first candidate that fails before streaming, cancelling those that started', async () => {
    const started = candidateStream([chunk({ role: 'assistant', content: '' })], true);
    const limited = new ApiError(429, 'slow down', { code: 'rate_limit_exceeded' });
    const { response, upstreamAbort } = await merge([serve(started.body), async () => Promise.reject(limited)]);
    await expect(response).rejects.toBe(limited);
    expect(upstreamAbort.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started.cancelled).toBe(true);
  });

  it('passes heartbeats on and stops every candidate when the caller hangs up', async () => {
    const first = candidateStream([sseComment('ping')]);
    const second = candidateStream([sseComment('ping'), sseComment('ping')], true);
    const { response, upstreamAbort, ends } = await merge([serve(first.body), serve(second.body)]);
    const reader = (await response).body?.getReader();
    const { value } = (await reader?.read()) ?? {};
    expect(new TextDecoder().decode(value)).toBe(': ping\n\n');
    await reader?.cancel();
    expect(second.cancelled).toBe(true);
    expect(upstreamAbort.signal.aborted).toBe(true);
    expect(ends).toEqual([{ status: 499, code: 'client_closed' }]);
  });
});
