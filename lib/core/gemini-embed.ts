import type { GoogleEmbeddingModelOptions } from '@ai-sdk/google';
import { embedMany } from 'ai';
import { type EmbeddingUsage, embeddingUsage } from '@/lib/core/embedding-usage';
import type { CallContext } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';
import { geminiEmbeddingModel } from '@/lib/gemini/provider';

/**
 * The one place Gemini embeds. Adapters describe what they want as a GeminiEmbedInput; the core owns embedMany,
 * the batching, the deadline and abort. The SDK's Google model sends one value to `:embedContent` and up to 100
 * (Gemini's batch limit, its maxEmbeddingsPerCall) to each `:batchEmbedContents`; embedMany runs a few batches at
 * once and puts the vectors back in input order.
 */

export type EmbeddingTaskType = NonNullable<GoogleEmbeddingModelOptions['taskType']>;

export interface GeminiEmbedInput {
  /** Resolved by `resolveEmbeddingModel` (lib/core/embedding-target.ts). */
  model: ModelTarget;
  /** Non-empty texts; vector i belongs to text i. */
  values: string[];
  /** Gemini's outputDimensionality: the vectors are cut to this length. */
  dimensions?: number;
  /** What the vectors are for (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, …); Gemini tunes them to it. */
  taskType?: EmbeddingTaskType;
}

export interface GeminiEmbeddings {
  embeddings: number[][];
  usage: EmbeddingUsage;
  model: ModelTarget;
}

/**
 * Batches in flight at once. Enough to overlap Gemini's latency for a 2,048-input request (21 batches), few enough
 * that one request does not spend a key's per-minute quota in a burst.
 */
export const BATCHES_IN_FLIGHT = 4;

/** Throws what the SDK throws; any failed batch fails the call, and no partial result is returned. */
export async function embedGemini(input: GeminiEmbedInput, context: CallContext): Promise<GeminiEmbeddings> {
  const { config } = context;
  // Our own deadline, cleared when the call ends, for the reason gemini-call.ts gives.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('Gemini did not answer in time', 'TimeoutError')),
    config.gemini.timeoutMs,
  );
  // embedMany stops at a failed batch but lets the others of its round run on; nobody would read them.
  const failed = new AbortController();
  try {
    const result = await embedMany({
      model: geminiEmbeddingModel(input.model.id, { apiKey: context.apiKey, baseURL: config.gemini.baseURL }),
      values: input.values,
      ...(input.dimensions !== undefined ? { dimensions: input.dimensions } : {}),
      ...(input.taskType !== undefined ? { providerOptions: { google: { taskType: input.taskType } } } : {}),
      maxParallelCalls: BATCHES_IN_FLIGHT,
      maxRetries: config.gemini.maxRetries,
      abortSignal: AbortSignal.any([context.abortSignal, deadline.signal, failed.signal]),
    });
    return {
      embeddings: result.embeddings,
      usage: embeddingUsage(input.values, result.responses),
      model: input.model,
    };
  } catch (error) {
    failed.abort();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
