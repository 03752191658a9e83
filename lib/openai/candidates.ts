import type { GeminiCallInput, GeminiStream, StreamPart } from '@/lib/core/gemini-call';
import { isJsonObject } from '@/lib/json-object';
import type { OpenAIUsage } from '@/lib/openai/usage';

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

/** A part of one candidate's stream, tagged with the candidate it came from. */
export type CandidatePart = StreamPart & { candidate: number };

/**
 * n candidates' streams as one, each part tagged with its candidate, interleaved as they come. The first read
 * waits until every candidate has answered (the core holds `start` until then), so a candidate refused before
 * streaming fails the whole request with its HTTP status; reads follow the caller's pace, so backpressure still
 * reaches Gemini. Ending it early ends every candidate.
 */
export function mergeCandidateStreams(streams: readonly GeminiStream[]): GeminiStream {
  const iterators = streams.map((stream) => stream.parts);
  async function* parts(): AsyncGenerator<CandidatePart> {
    try {
      const firsts = await Promise.all(iterators.map((iterator) => iterator.next()));
      const pending = new Map<number, Promise<{ i: number; next: IteratorResult<StreamPart> }>>();
      const arm = (i: number) => {
        const iterator = iterators[i];
        if (iterator)
          pending.set(
            i,
            iterator.next().then((next) => ({ i, next })),
          );
      };
      for (const [i, next] of firsts.entries()) {
        if (next.done) continue;
        yield { ...next.value, candidate: i };
        arm(i);
      }
      while (pending.size > 0) {
        const { i, next } = await Promise.race(pending.values());
        pending.delete(i);
        if (next.done) continue;
        yield { ...next.value, candidate: i };
        arm(i);
      }
    } finally {
      // Each candidate's core stream clears its deadline when ended; one still reading ends once the abort lands.
      for (const iterator of iterators) iterator.return?.(undefined).catch(() => {});
    }
  }
  // Every candidate asked for the same model, so the first one's speaks for all.
  return { parts: parts(), model: () => (streams[0] as GeminiStream).model() };
}
