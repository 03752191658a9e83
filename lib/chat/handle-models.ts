import { defaultModelAmong } from '@/lib/chat/default-model';
import { BUILT_IN_MODELS, canChat, listGeminiModels, type ModelInfo } from '@/lib/gemini/list-models';
import type { RouteContext } from '@/lib/http/api-route';
import { requireOwner } from '@/lib/http/require-owner';

// Models that answer generateContent but cannot look at an image in a chat: speech, media generation, embeddings.
const NOT_FOR_IMAGE_CHAT = /(embed|aqa|tts|imagen|veo|lyria|native-audio|live|robotics|computer-use)/i;

/** GET /api/models — the models the chat's picker offers: Gemini's list (or the built-in one), vision chat only. */
export async function handleChatModels(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  await requireOwner(request, config, { mutating: false });
  const apiKey = config.gemini.apiKey;
  const list = apiKey
    ? await listGeminiModels({ baseURL: config.gemini.baseURL, apiKey, ttlMs: config.modelsCacheTtlMs })
    : { models: [...BUILT_IN_MODELS], fromUpstream: false };
  return Response.json(
    {
      models: forImageChat(list.models),
      defaultModel: defaultModelAmong(config, list.models),
      fromUpstream: list.fromUpstream,
    },
    { headers: { ...context.headers, 'cache-control': 'private, max-age=60' } },
  );
}

export function forImageChat(models: readonly ModelInfo[]): ModelInfo[] {
  return models.filter((model) => canChat(model) && !NOT_FOR_IMAGE_CHAT.test(model.id));
}
