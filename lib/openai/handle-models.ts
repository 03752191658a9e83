import { authorize } from '@/lib/auth';
import { listGeminiModels } from '@/lib/gemini/list-models';
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
    {
      object: 'list',
      data: list.models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: 'google' })),
    },
    { headers: { ...context.headers, 'x-iris-models-source': list.fromUpstream ? 'upstream' : 'built-in' } },
  );
}
