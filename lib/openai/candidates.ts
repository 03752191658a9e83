import type { GeminiCallInput } from '@/lib/core/gemini-call';
import { type Bytes, SSE_DONE, SSE_HEADERS, sseComment, sseData } from '@/lib/http/sse';
import { isJsonObject } from '@/lib/json-object';

export type { StreamOutcome } from '@/lib/openai/event-stream';

import type { StreamOutcome } from '@/lib/openai/event-stream';
import type { OpenAIUsage } from '@/lib/openai/response-format';

/**
 * `n` > 1: several answers to one request. Gemini could return them from one call (`candidateCount`), but the
 * AI SDK's Google provider neither sends candidateCount nor reads any candidate after the first, and every
 * Gemini call must go through the SDK. So Iris makes n independent calls, each exactly the single-answer path
 * (same validation, errors, streaming and heartbeats), and merges their OpenAI output: choice i is call i,
 * usage is the sum, which is also what Gemini bills for n calls (the prompt is counted n times).
 */

/** Gemini's own limit for candidateCount; more parallel calls per request would mostly burn quota. */
export const MAX_CANDIDATES = 8;

const INT32_MAX = 2 ** 31 - 1;

/**
 * One call input per candidate. A seeded request gives candidate i the seed + i (wrapping within Gemini's
 * int32), so its n answers are reproducible yet differ from each other; unseeded calls sample independently.
 */
export function candidateInputs(input: GeminiCallInput, n: number): [GeminiCallInput, ...GeminiCallInput[]] {
  const { seed } = input.settings;
  const inputs = Array.from({ length: Math.max(1, n) }, (_, i) =>
    seed === undefined || i === 0 ? input : { ...input, settings: { ...input.settings, seed: wrapInt32(seed + i) } },
  );
  return inputs as [GeminiCallInput, ...GeminiCallInput[]];
}

function wrapInt32(value: number): number {
  return value > INT32_MAX ? value - 2 ** 32 : value;
}

/**
 * Runs every call; the first failure aborts the others (through the shared upstream abort) and is thrown,
 * so the caller gets one error, not a partial answer.
 */
export async function allCandidates<T>(
  calls: readonly GeminiCallInput[],
  completeOne: (call: GeminiCallInput) => Promise<T>,
  upstreamAbort: AbortController,
): Promise<T[]> {
  try {
    return await Promise.all(calls.map(completeOne));
  } catch (error) {
    upstreamAbort.abort();
    throw error;
  }
}

interface SingleChoiceCompletion {
  choices: { index: number }[];
  usage: OpenAIUsage;
}

/** n single-choice chat.completion bodies → one body with choices 0…n-1 and the summed usage. */
export function mergeCompletions<T extends SingleChoiceCompletion>(completions: readonly T[]): T {
  const [first] = completions;
  if (first === undefined) throw new Error('mergeCompletions needs at least one completion');
  return {
    ...first,
    choices: completions.flatMap((completion, i) => completion.choices.map((choice) => ({ ...choice, index: i }))),
    usage: sumUsage(completions.map((c) => c.usage)),
  };
}

/** Adds up every count, nested details included, so fields added to OpenAIUsage later are summed too. */
export function sumUsage(usages: readonly OpenAIUsage[]): OpenAIUsage {
  return usages.reduce((total, usage) => addCounts(total, usage) as OpenAIUsage);
}

function addCounts(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return Object.fromEntries(
      [...keys].map((key) => [key, key in a && key in b ? addCounts(a[key], b[key]) : (a[key] ?? b[key])]),
    );
  }
  return a ?? b;
}

export interface CandidateStreamOptions {
  includeUsage: boolean;
  headers: Record<string, string>;
  /** Shared by every candidate's call: aborting it stops them all. */
  upstreamAbort: AbortController;
  /** Called once when the merged stream ends (for the access log). */
  onEnd?: (outcome: StreamOutcome) => void;
}

/**
 * Streams n candidates as one chat.completion.chunk stream. Each candidate is the single-answer stream
 * (`startOne`, i.e. streamChatCompletion); its events are renumbered to its choice index and interleaved as
 * they come, so each choice has its own role chunk and its own finish chunk. Their usage chunks are held back
 * and sent once, summed, before the one `[DONE]`. The status is decided as for one answer: any candidate
 * failing before the stream starts is the request's HTTP error; a failure after that travels in-band and
 * ends the stream for all. Reads follow the caller's pace, so backpressure still reaches Gemini.
 */
export async function streamCandidates(
  calls: readonly GeminiCallInput[],
  startOne: (call: GeminiCallInput, onEnd: (outcome: StreamOutcome) => void) => Promise<Response>,
  options: CandidateStreamOptions,
): Promise<Response> {
  const outcomes: (StreamOutcome | undefined)[] = calls.map(() => undefined);
  const started = calls.map((call, i) =>
    startOne(call, (outcome) => {
      outcomes[i] = outcome;
    }),
  );
  let responses: Response[];
  try {
    responses = await Promise.all(started);
  } catch (error) {
    options.upstreamAbort.abort();
    // Candidates that did start hold a timer and a log entry until their body is cancelled.
    for (const response of started)
      response.then(
        (r) => r.body?.cancel(),
        () => {},
      );
    throw error;
  }

  const readers = responses.map((response) => {
    if (!response.body) throw new Error('a candidate stream has no body');
    return response.body.getReader();
  });
  const splitters = readers.map(() => new SseSplitter());
  type Read = { i: number; result: ReadableStreamReadResult<Uint8Array> };
  const pending = new Map<number, Promise<Read>>();
  const arm = (i: number) => {
    const reader = readers[i];
    if (reader)
      pending.set(
        i,
        reader.read().then((result) => ({ i, result })),
      );
  };
  readers.forEach((_, i) => {
    arm(i);
  });

  let usageChunk: { usage: OpenAIUsage } | undefined;
  let ended = false;

  const body = new ReadableStream<Bytes>({
    async pull(controller) {
      for (;;) {
        if (pending.size === 0) {
          if (usageChunk) controller.enqueue(sseData(usageChunk));
          controller.enqueue(SSE_DONE);
          return finish(controller, { status: 200 });
        }
        let read: Read;
        try {
          read = await Promise.race(pending.values());
        } catch {
          // A candidate's body only errors if Iris itself broke; its own stream already logged why.
          return finish(controller, { status: 502, code: 'upstream_stream_interrupted' }, true);
        }
        const { i, result } = read;
        if (result.done) {
          pending.delete(i);
          // A candidate that stopped without [DONE] or an error was cancelled: the caller went away.
          if (!splitters[i]?.sawDone)
            return finish(controller, outcomes[i] ?? { status: 499, code: 'client_closed' }, true);
          continue;
        }
        arm(i);
        let sent = false;
        for (const event of splitters[i]?.push(result.value) ?? []) {
          const outcome = forward(controller, i, event);
          if (outcome === 'failed') {
            return finish(controller, outcomes[i] ?? { status: 502, code: 'upstream_error' }, true);
          }
          sent ||= outcome === 'sent';
        }
        if (sent) return;
      }
    },
    cancel() {
      if (ended) return;
      ended = true;
      cancelAll();
      options.onEnd?.({ status: 499, code: 'client_closed' });
    },
  });

  // Every candidate asked for the same model, so the first one's substitution note speaks for all.
  const substituted = responses[0]?.headers.get('x-iris-model-substituted');
  return new Response(body, {
    status: 200,
    headers: {
      ...SSE_HEADERS,
      ...options.headers,
      ...(substituted ? { 'x-iris-model-substituted': substituted } : {}),
    },
  });

  function forward(
    controller: ReadableStreamDefaultController<Bytes>,
    i: number,
    event: SseEvent,
  ): 'sent' | 'held' | 'failed' {
    if (event.kind === 'comment') {
      // Heartbeats: every idle candidate pings; one voice (the lowest still running) is enough.
      if (Math.min(...pending.keys()) !== i) return 'held';
      controller.enqueue(sseComment(event.text));
      return 'sent';
    }
    if (event.data === '[DONE]') return 'held';
    const payload = JSON.parse(event.data) as Record<string, unknown>;
    if ('error' in payload) {
      controller.enqueue(sseData(payload));
      return 'failed';
    }
    const choices = payload.choices;
    if (Array.isArray(choices) && choices.length === 0 && isJsonObject(payload.usage)) {
      const usage = payload.usage as unknown as OpenAIUsage;
      usageChunk = usageChunk ? { ...usageChunk, usage: sumUsage([usageChunk.usage, usage]) } : { ...payload, usage };
      return 'held';
    }
    if (Array.isArray(choices)) payload.choices = choices.map((choice: object) => ({ ...choice, index: i }));
    controller.enqueue(sseData(payload));
    return 'sent';
  }

  function finish(
    controller: ReadableStreamDefaultController<Bytes>,
    outcome: StreamOutcome,
    stopOthers = false,
  ): void {
    if (ended) return;
    ended = true;
    if (stopOthers) cancelAll();
    options.onEnd?.(outcome);
    controller.close();
  }

  function cancelAll(): void {
    options.upstreamAbort.abort();
    for (const reader of readers) reader.cancel().catch(() => {});
  }
}

type SseEvent = { kind: 'data'; data: string } | { kind: 'comment'; text: string };

/** Splits one candidate's SSE bytes (written by sseData/sseComment) back into whole events. */
class SseSplitter {
  #decoder = new TextDecoder();
  #buffer = '';
  sawDone = false;

  push(bytes: Uint8Array): SseEvent[] {
    this.#buffer += this.#decoder.decode(bytes, { stream: true });
    const blocks = this.#buffer.split('\n\n');
    this.#buffer = blocks.pop() ?? '';
    const events: SseEvent[] = [];
    for (const block of blocks) {
      if (block.startsWith(':')) events.push({ kind: 'comment', text: block.slice(1).trim() });
      else if (block.startsWith('data: ')) {
        const data = block.slice('data: '.length);
        if (data === '[DONE]') this.sawDone = true;
        events.push({ kind: 'data', data });
      }
    }
    return events;
  }
}
