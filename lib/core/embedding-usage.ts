import { z } from 'zod';

/**
 * Token usage of an embeddings call. The AI SDK's Google provider reports none, but it hands over each batch's raw
 * body, where Gemini puts `usageMetadata.promptTokenCount`. When every batch has that count, their sum is the usage;
 * when any lacks it, the whole request is estimated instead, since a sum of counted and guessed batches would look
 * exact while it is not.
 */
export interface EmbeddingUsage {
  inputTokens: number;
  /** True when Gemini gave no count and `estimateTokens` stands in (README, "Embeddings"). */
  estimated: boolean;
}

const CountedBatch = z.looseObject({
  usageMetadata: z.looseObject({ promptTokenCount: z.int().nonnegative() }),
});

export function embeddingUsage(
  values: readonly string[],
  responses: readonly ({ body?: unknown } | undefined)[] | undefined,
): EmbeddingUsage {
  const counts = (responses ?? []).map((response) => CountedBatch.safeParse(response?.body));
  if (counts.length > 0 && counts.every((count) => count.success)) {
    const inputTokens = counts.reduce((sum, count) => sum + (count.data?.usageMetadata.promptTokenCount ?? 0), 0);
    return { inputTokens, estimated: false };
  }
  return { inputTokens: estimateTokens(values), estimated: true };
}

/**
 * One token per four bytes of UTF-8, rounded up, at least one per input: OpenAI's rule of thumb for English, which
 * Gemini's tokenizer roughly shares; counting bytes rather than characters keeps non-Latin scripts from being
 * undercounted as badly.
 */
export function estimateTokens(values: readonly string[]): number {
  return values.reduce((sum, value) => sum + Math.max(1, Math.ceil(Buffer.byteLength(value, 'utf8') / 4)), 0);
}
