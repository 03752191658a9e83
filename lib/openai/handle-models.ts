import { authorize } from '@/lib/auth';
import { resolveModel, substitutionHeaders } from '@/lib/core/model-target';
import { modelNotFound } from '@/lib/errors';
import { canChat, listGeminiModels, type ModelInfo } from '@/lib/gemini/list-models';
import type { RouteContext } from '@/lib/http/api-route';

/** GET /v1/models in OpenAI's list format. Gemini reports no creation dates, so `created` is 0. */
export async function handleListModels(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  const list = await listGeminiModels({
    baseURL: config.gemini.baseURL,
    apiKey: caller.upstreamApiKey,
    ttlMs: config.modelsCacheTtlMs,
  });
  return Response.json(
    { object: 'list', data: list.models.filter(canChat).map(toOpenAIModel) },
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
  const target = await resolveModel(decodeURIComponent(params.id), { config, apiKey: caller.upstreamApiKey });
  // Without metadata the id was neither listed nor replaced (the list could not be read): nothing vouches for it.
  if (!target.info) throw modelNotFound(target.asked);
  return Response.json(toOpenAIModel(target.info), {
    headers: { ...context.headers, ...substitutionHeaders(target) },
  });
}

function sourceHeader(fromUpstream: boolean) {
  return { 'x-iris-models-source': fromUpstream ? 'upstream' : 'built-in' };
}

function toOpenAIModel(model: ModelInfo) {
  return { id: model.id, object: 'model' as const, created: 0, owned_by: 'google' };
}
