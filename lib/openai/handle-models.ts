import { authorize } from '@/lib/auth';
import { ApiError } from '@/lib/errors';
import { canChat, listGeminiModels, type ModelInfo } from '@/lib/gemini/list-models';
import { resolveModelId } from '@/lib/gemini/model-id';
import type { RouteContext } from '@/lib/http/api-route';

/** GET /v1/models in OpenAI's list format. Gemini reports no creation dates, so `created` is 0. */
export async function handleListModels(request: Request, context: RouteContext): Promise<Response> {
  const { list, headers } = await modelsFor(request, context);
  return Response.json({ object: 'list', data: list.models.filter(canChat).map(toOpenAIModel) }, { headers });
}

/**
 * GET /v1/models/{id}: one model, named as the caller would name it in a request (`models/` prefix
 * and aliases accepted); the answer carries the id that would be served.
 */
export async function handleRetrieveModel(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const { list, headers } = await modelsFor(request, context);
  const id = resolveModelId(decodeURIComponent(params.id), context.config.modelAliases);
  const model = list.models.find((m) => m.id === id && canChat(m));
  if (!model) {
    throw new ApiError(404, `The model '${id}' does not exist or does not support generateContent.`, {
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  }
  return Response.json(toOpenAIModel(model), { headers });
}

async function modelsFor(request: Request, context: RouteContext) {
  const { config } = context;
  const caller = await authorize(request, config);
  const list = await listGeminiModels({
    baseURL: config.gemini.baseURL,
    apiKey: caller.upstreamApiKey,
    ttlMs: config.modelsCacheTtlMs,
  });
  return { list, headers: { ...context.headers, 'x-iris-models-source': list.fromUpstream ? 'upstream' : 'built-in' } };
}

function toOpenAIModel(model: ModelInfo) {
  return { id: model.id, object: 'model' as const, created: 0, owned_by: 'google' };
}
