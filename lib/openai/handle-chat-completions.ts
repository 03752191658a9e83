import { generateText } from 'ai';
import { authorize } from '@/lib/auth';
import { buildGeminiCall } from '@/lib/core/gemini-call';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { chatCompletion, newCompletionIdentity } from '@/lib/openai/response-format';
import { streamChatCompletion } from '@/lib/openai/stream-completion';
import { toCallInput } from '@/lib/openai/to-call-input';
import { toApiError, type UpstreamErrorContext } from '@/lib/upstream-errors';

/** POST /v1/chat/completions: authenticate, validate, build the Gemini call, answer as JSON or SSE. */
export async function handleChatCompletions(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  const body = await readJsonBody(request, config.maxRequestBytes);
  const chatRequest = parseChatCompletionRequest(body);

  // Aborted when the caller hangs up (request.signal) or when a stream is cancelled downstream.
  const upstreamAbort = new AbortController();
  const abortSignal = AbortSignal.any([request.signal, upstreamAbort.signal]);

  const input = await toCallInput(chatRequest, { limits: config.images, signal: abortSignal });
  const call = buildGeminiCall(input, { config, apiKey: caller.upstreamApiKey, abortSignal });
  const errorContext: UpstreamErrorContext = {
    modelId: call.modelId,
    bringsOwnKey: caller.bringsOwnKey,
    secrets: [caller.upstreamApiKey],
  };
  const identity = newCompletionIdentity(call.modelId);

  if (chatRequest.stream) {
    return streamChatCompletion(call, {
      identity,
      includeUsage: chatRequest.stream_options?.include_usage === true,
      heartbeatMs: config.streamHeartbeatMs,
      commitAt: context.receivedAt + config.streamHeartbeatMs,
      clientSignal: request.signal,
      upstreamAbort,
      errorContext,
      headers: context.headers,
      onEnd: context.deferLog(call.modelId),
    });
  }

  try {
    const result = await generateText(call.options);
    return Response.json(chatCompletion(identity, result), { headers: context.headers });
  } catch (error) {
    throw toApiError(error, errorContext);
  } finally {
    call.release();
  }
}
