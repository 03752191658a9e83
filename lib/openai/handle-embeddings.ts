import { authorize } from '@/lib/auth';
import { resolveEmbeddingModel } from '@/lib/core/embedding-target';
import type { CallContext } from '@/lib/core/gemini-call';
import { embedGemini, type GeminiEmbedInput } from '@/lib/core/gemini-embed';
import { substitutionHeaders } from '@/lib/core/model-target';
import { embeddingModelNotFound } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { embeddingTaskType } from '@/lib/openai/embeddings/google-extras';
import { parseEmbeddingRequest } from '@/lib/openai/embeddings/parse-request';
import type { CreateEmbeddingRequest } from '@/lib/openai/embeddings/request-schema';
import { createEmbeddingResponse } from '@/lib/openai/embeddings/response';
import { isModelRefusal, toApiError } from '@/lib/upstream-errors';

/** POST /v1/embeddings: authenticate, validate, resolve the embedding model, embed through the core, answer as JSON. */
export async function handleEmbeddings(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  const body = await readJsonBody(request, config.maxRequestBytes);
  const embeddingRequest = parseEmbeddingRequest(body);
  const taskType = embeddingTaskType(embeddingRequest);

  const callContext: CallContext = { config, apiKey: caller.upstreamApiKey, abortSignal: request.signal };
  const target = await resolveEmbeddingModel(embeddingRequest.model, callContext);
  context.noteModel(target);
  try {
    const result = await embedGemini(toEmbedInput(embeddingRequest, target, taskType), callContext);
    return Response.json(createEmbeddingResponse(result, embeddingRequest.encoding_format ?? 'float'), {
      headers: {
        ...context.headers,
        ...substitutionHeaders(target),
        ...(result.usage.estimated ? { 'x-iris-usage-estimated': 'true' } : {}),
      },
    });
  } catch (error) {
    // Gemini's 404 for a model it lists but will not embed with for this key: the chat's wording would mislead.
    if (isModelRefusal(error)) throw embeddingModelNotFound(target.id);
    throw toApiError(error, {
      modelId: target.id,
      bringsOwnKey: caller.bringsOwnKey,
      secrets: [caller.upstreamApiKey],
    });
  }
}

function toEmbedInput(
  request: CreateEmbeddingRequest,
  model: GeminiEmbedInput['model'],
  taskType: GeminiEmbedInput['taskType'],
): GeminiEmbedInput {
  return {
    model,
    values: typeof request.input === 'string' ? [request.input] : request.input,
    ...(request.dimensions != null ? { dimensions: request.dimensions } : {}),
    ...(taskType !== undefined ? { taskType } : {}),
  };
}
