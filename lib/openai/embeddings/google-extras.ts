import { z } from 'zod';
import type { EmbeddingTaskType } from '@/lib/core/gemini-embed';
import { chosenGoogleExtras } from '@/lib/openai/google-extras';

/**
 * Gemini's embedding option with no OpenAI field, `task_type`, taken where chat takes Gemini options: a top-level
 * `google` (Python's `extra_body={"google": …}`) or a body field `extra_body.google` (Google's documented spelling).
 * Strict, so a misspelt option is a 400 naming it rather than a silently different vector.
 */

const TASK_TYPES = [
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
] as const satisfies readonly EmbeddingTaskType[];

export const EmbeddingGoogleExtras = z.strictObject({ task_type: z.enum(TASK_TYPES).nullish() });
export type EmbeddingGoogleExtras = z.infer<typeof EmbeddingGoogleExtras>;

export const EmbeddingExtraBody = z.strictObject({ google: EmbeddingGoogleExtras.nullish() });

export function embeddingTaskType(request: {
  google?: EmbeddingGoogleExtras | null;
  extra_body?: { google?: EmbeddingGoogleExtras | null } | null;
}): EmbeddingTaskType | undefined {
  return chosenGoogleExtras(request)?.google.task_type ?? undefined;
}
