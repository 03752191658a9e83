import { generateText } from 'ai';
import { authorize } from '@/lib/auth';
import { buildGeminiCall, type GeminiCall } from '@/lib/core/gemini-call';
import { resolveModelId } from '@/lib/gemini/model-id';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { allCandidates, candidateInputs, mergeCompletions, streamCandidates } from '@/lib/openai/candidates';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { rejectIgnoredPenalties } from '@/lib/openai/penalties';
import { chatCompletion, newCompletionIdentity } from '@/lib/openai/response-format';
import { type StreamOptions, streamChatCompletion } from '@/lib/openai/stream-completion';
import { toCallInput } from '@/lib/openai/to-call-input';
import { withToolCalls } from '@/lib/openai/tools';
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

  rejectIgnoredPenalties(chatRequest, resolveModelId(chatRequest.model, config.modelAliases));
  const input = await toCallInput(chatRequest, { limits: config.images, signal: abortSignal });
  // n > 1 is n independent Gemini calls, each the single-answer path (candidates.ts explains why).
  const calls = candidateInputs(input, chatRequest.n ?? 1).map((candidate) =>
    buildGeminiCall(candidate, { config, apiKey: caller.upstreamApiKey, abortSignal }),
  );
  const { modelId } = calls[0] as GeminiCall;
  const errorContext: UpstreamErrorContext = {
    modelId,
    bringsOwnKey: caller.bringsOwnKey,
    secrets: [caller.upstreamApiKey],
  };
  const identity = newCompletionIdentity(modelId);

  // Gemini has no switch for parallel calls: `false` is honoured by passing on only the first call.
  const parallelToolCalls = chatRequest.parallel_tool_calls !== false;

  if (chatRequest.stream) {
    const includeUsage = chatRequest.stream_options?.include_usage === true;
    const streamOne = (call: GeminiCall, onEnd: StreamOptions['onEnd']) =>
      streamChatCompletion(call, {
        identity,
        includeUsage,
        heartbeatMs: config.streamHeartbeatMs,
        commitAt: context.receivedAt + config.streamHeartbeatMs,
        clientSignal: request.signal,
        upstreamAbort,
        errorContext,
        headers: context.headers,
        onEnd,
        parallelToolCalls,
      });
    const onEnd = context.deferLog(modelId);
    if (calls.length === 1) return streamOne(calls[0] as GeminiCall, onEnd);
    return streamCandidates(calls, streamOne, { includeUsage, headers: context.headers, upstreamAbort, onEnd });
  }

  const completeOne = async (call: GeminiCall) => {
    try {
      const result = await generateText(call.options);
      return withToolCalls(chatCompletion(identity, result), result.toolCalls, { parallel: parallelToolCalls });
    } finally {
      call.release();
    }
  };
  try {
    const completions = await allCandidates(calls, completeOne, upstreamAbort);
    return Response.json(mergeCompletions(completions), { headers: context.headers });
  } catch (error) {
    throw toApiError(error, errorContext);
  }
}
