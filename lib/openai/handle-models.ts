import { authorize } from '@/lib/auth';
import { resolveEmbeddingModel } from '@/lib/core/embedding-target';
import { type ModelTarget, resolveModel, substitutionHeaders, type UpstreamKey } from '@/lib/core/model-target';
import { ApiError, modelNotFound } from '@/lib/errors';
import { canChat, canEmbed, listGeminiModels, type ModelInfo } from '@/lib/gemini/list-models';
import type { RouteContext } from '@/lib/http/api-route';

/**
 * GET /v1/models in OpenAI's list format: the models /v1/chat/completions and /v1/embeddings serve. Gemini reports
 * no creation dates, so `created` is 0.
 */
export async function handleListModels(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  const list = await listGeminiModels({
    baseURL: config.gemini.baseURL,
    apiKey: caller.upstreamApiKey,
    ttlMs: config.modelsCacheTtlMs,
  });
  return Response.json(
    { object: 'list', data: list.models.filter((m) => canChat(m) || canEmbed(m)).map(toOpenAIModel) },
    { headers: { ...context.headers, ...sourceHeader(list.fromUpstream) } },
  );
}

/**
 * GET /v1/models/{id}: one model, named as the caller would name it in a request (`models/` prefix, aliases and
 * retired ids accepted). The answer is the model that would serve it, so a retired id answers with its replacement.
 */
export async function handleRetrieveModel(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  // Next has decoded the path segment once already; decoding it again would read `%25` as a broken escape.
  const target = await resolveAnyModel(params.id, { config, apiKey: caller.upstreamApiKey });
  // Without metadata the id was neither listed nor replaced (the list could not be read): nothing vouches for it.
  if (!target.info) throw modelNotFound(target.asked);
  return Response.json(toOpenAIModel(target.info), {
    headers: { ...context.headers, ...substitutionHeaders(target) },
  });
}

/** As a chat request would resolve the id; failing that, as an embeddings request would (`text-embedding-3-small`). */
async function resolveAnyModel(id: string, upstream: UpstreamKey): Promise<ModelTarget> {
  try {
    return await resolveModel(id, upstream);
  } catch (chatError) {
    if (!(chatError instanceof ApiError) || chatError.code !== 'model_not_found') throw chatError;
    return resolveEmbeddingModel(id, upstream).catch(() => Promise.reject(chatError));
  }
}

function sourceHeader(fromUpstream: boolean) {
  return { 'x-iris-models-source': fromUpstream ? 'upstream' : 'built-in' };
}

function toOpenAIModel(model: ModelInfo) {
  return { id: model.id, object: 'model' as const, created: 0, owned_by: 'google' };
}
