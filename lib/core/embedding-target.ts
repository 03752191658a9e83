import { type ModelTarget, modelList, type UpstreamKey } from '@/lib/core/model-target';
import { embeddingModelNotFound, notAnEmbeddingModel } from '@/lib/errors';
import { canEmbed } from '@/lib/gemini/list-models';
import { stripModelsPrefix } from '@/lib/gemini/model-id';

/**
 * Which Gemini model serves an embeddings request. Unlike chat ids, OpenAI's embedding names have one obvious
 * Gemini counterpart and clients hard-code them (LangChain's OpenAIEmbeddings defaults to text-embedding-ada-002),
 * so a small default table maps them; the operator's MODEL_ALIASES wins over it. Whatever the name leads to must be
 * an embedding model in Gemini's list: a chat model is the caller's mistake (400), an unknown id a 404. Embedding
 * models have no tiers, so there is no replacement to fall back on.
 */

export const DEFAULT_EMBEDDING_MODEL = 'gemini-embedding-001';

export const DEFAULT_EMBEDDING_ALIASES: ReadonlyMap<string, string> = new Map([
  ['text-embedding-3-small', DEFAULT_EMBEDDING_MODEL],
  ['text-embedding-3-large', DEFAULT_EMBEDDING_MODEL],
  ['text-embedding-ada-002', DEFAULT_EMBEDDING_MODEL],
]);

export async function resolveEmbeddingModel(requested: string, upstream: UpstreamKey): Promise<ModelTarget> {
  const asked = stripModelsPrefix(requested.trim());
  const alias = aliasFor(asked, upstream.config.modelAliases);
  const id = alias ?? asked;
  const how = alias === undefined ? 'as-asked' : 'alias';
  const list = await modelList(upstream);
  const info = list.models.find((model) => model.id === id);
  if (info && canEmbed(info)) return { asked, id, info, how };
  if (info) throw notAnEmbeddingModel(id);
  // Without Gemini's list nothing says the id is wrong: call it, and let Gemini's answer decide.
  if (!list.fromUpstream) return { asked, id, how };
  throw embeddingModelNotFound(asked);
}

function aliasFor(asked: string, operatorAliases: ReadonlyMap<string, string>): string | undefined {
  return operatorAliases.get(asked) ?? DEFAULT_EMBEDDING_ALIASES.get(asked);
}
