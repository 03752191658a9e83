import type { Config } from '@/lib/config';
import { BUILT_IN_MODELS, listGeminiModels, type ModelInfo } from '@/lib/gemini/list-models';
import { newestOfTier } from '@/lib/gemini/model-tier';

// The chat page waits for this while it renders: an unreachable Gemini must not hold the page for long.
const LIST_WAIT_MS = 3_000;

/** The model a new chat starts with: the operator's CHAT_DEFAULT_MODEL, else the newest flash Gemini lists. */
export async function chatDefaultModel(config: Config): Promise<string> {
  if (config.chatDefaultModel) return config.chatDefaultModel;
  const apiKey = config.gemini.apiKey;
  const models = apiKey
    ? (
        await listGeminiModels({
          baseURL: config.gemini.baseURL,
          apiKey,
          ttlMs: config.modelsCacheTtlMs,
          signal: AbortSignal.timeout(LIST_WAIT_MS),
        })
      ).models
    : BUILT_IN_MODELS;
  return defaultModelAmong(config, models);
}

export function defaultModelAmong(config: Pick<Config, 'chatDefaultModel'>, models: readonly ModelInfo[]): string {
  if (config.chatDefaultModel) return config.chatDefaultModel;
  const model = newestOfTier('flash', models) ?? newestOfTier('flash', BUILT_IN_MODELS);
  // The built-in list always has a flash; the last resort is Google's own moving alias.
  return model?.id ?? 'gemini-flash-latest';
}
