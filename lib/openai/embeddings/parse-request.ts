import { invalidRequest } from '@/lib/errors';
import { isJsonObject } from '@/lib/json-object';
import { CreateEmbeddingRequest } from '@/lib/openai/embeddings/request-schema';
import { parseRequestBody } from '@/lib/openai/parse-request';

/** Validates a parsed JSON body as an embeddings request, or throws a 400 that names the offending `param`. */
export function parseEmbeddingRequest(body: unknown): CreateEmbeddingRequest {
  // Before the schema, whose complaint would be a puzzling "must be a string" at input[0].
  if (isJsonObject(body) && isTokenInput(body.input)) {
    throw invalidRequest(
      'input holds token ids. Gemini embeds text and cannot read OpenAI token ids: send the text itself, as a string or an array of strings (LangChain Python: OpenAIEmbeddings(check_embedding_ctx_length=False)).',
      'input',
      'unsupported_parameter',
    );
  }
  return parseRequestBody(CreateEmbeddingRequest, body);
}

/** OpenAI's two token forms: one array of token ids, or an array of such arrays. */
function isTokenInput(input: unknown): boolean {
  if (!Array.isArray(input) || input.length === 0) return false;
  const isTokens = (value: unknown) => Array.isArray(value) && value.every((id) => typeof id === 'number');
  return input.every((item) => typeof item === 'number') || input.every(isTokens);
}
