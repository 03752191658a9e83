import type { GeminiEmbeddings } from '@/lib/core/gemini-embed';
import { float32Base64 } from '@/lib/openai/embeddings/float32-base64';

export type EncodingFormat = 'float' | 'base64';

/**
 * OpenAI's CreateEmbeddingResponse. `model` names the model that served (`gemini-embedding-001` for a request that
 * said `text-embedding-3-small`), as chat answers do; both usage fields are the input tokens, since embeddings
 * generate none.
 */
export function createEmbeddingResponse(result: GeminiEmbeddings, encoding: EncodingFormat) {
  return {
    object: 'list' as const,
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding' as const,
      index,
      embedding: encoding === 'base64' ? float32Base64(vector) : vector,
    })),
    model: result.model.id,
    usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
  };
}
