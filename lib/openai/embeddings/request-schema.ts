import { z } from 'zod';
import { MODEL_ID_PATTERN } from '@/lib/gemini/model-id';
import { EmbeddingExtraBody, EmbeddingGoogleExtras } from '@/lib/openai/embeddings/google-extras';

/**
 * OpenAI's CreateEmbeddingRequest as Iris accepts it: text only (token arrays are refused before this schema, see
 * parse-request.ts), at most 2,048 inputs as at OpenAI, each non-empty. Unknown fields pass and are ignored, as for
 * chat.
 */

export const MAX_EMBEDDING_INPUTS = 2048;

const Text = z.string().min(1, 'must not be empty');

export const EmbeddingInput = z.union([
  Text,
  z
    .array(Text)
    .min(1, 'must hold at least one string')
    .max(MAX_EMBEDDING_INPUTS, `must hold at most ${MAX_EMBEDDING_INPUTS} strings, as at OpenAI`),
]);

export const CreateEmbeddingRequest = z.looseObject({
  model: z
    .string()
    .trim()
    .min(1, 'must name a model, e.g. "gemini-embedding-001"')
    .regex(MODEL_ID_PATTERN, 'must be a model id such as "gemini-embedding-001" (letters, digits, ".", "_" and "-")'),
  input: EmbeddingInput,
  // Mapped to Gemini.
  dimensions: z.int().min(1).nullish(),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  // Gemini-only options (google-extras.ts).
  google: EmbeddingGoogleExtras.nullish(),
  extra_body: EmbeddingExtraBody.nullish(),
  // Accepted and ignored: it describes the caller, not the embedding.
  user: z.string().nullish(),
});

export type CreateEmbeddingRequest = z.infer<typeof CreateEmbeddingRequest>;
