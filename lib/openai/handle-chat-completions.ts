import { authorize } from '@/lib/auth';
import { generateGemini, streamGemini } from '@/lib/core/gemini-call';
import { checkModelSettings } from '@/lib/core/model-settings';
import { resolveModel, substitutionHeaders } from '@/lib/core/model-target';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { openAICallContext } from '@/lib/openai/call-context';
import { allCandidates, candidateInputs, mergeCompletions, streamCandidates } from '@/lib/openai/candidates';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { rejectIgnoredPenalties } from '@/lib/openai/penalties';
import type { ChatCompletionRequest } from '@/lib/openai/request-schema';
import { chatCompletion, newCompletionIdentity } from '@/lib/openai/response-format';
import { type StreamOptions, streamChatCompletion } from '@/lib/openai/stream-completion';
import { toCallInput } from '@/lib/openai/to-call-input';
import { withToolCalls } from '@/lib/openai/tools';
import { toApiError, type UpstreamErrorContext } from '@/lib/upstream-errors';

/** POST /v1/chat/completions: authenticate, validate, resolve the model, call Gemini, answer as JSON or SSE. */
export async function handleChatCompletions(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  const body = await readJsonBody(request, config.maxRequestBytes);
  const chatRequest = parseChatCompletionRequest(body);

  const { upstreamAbort, abortSignal, callContext, errorContext } = openAICallContext(
    request,
    config,
    caller,
    settingParams(chatRequest),
  );

  // Before any image is fetched: an unknown model or a setting it cannot take is refused at once.
  const target = await resolveModel(chatRequest.model, callContext);
  rejectIgnoredPenalties(chatRequest, target.id);
  const input = await toCallInput(chatRequest, target, { limits: config.images, signal: abortSignal });
  try {
    checkModelSettings(target, input.settings);
  } catch (error) {
    throw toApiError(error, errorContext(target));
  }
  // n > 1 is n independent Gemini calls, each the single-answer path (candidates.ts explains why).
  const candidates = candidateInputs(input, chatRequest.n ?? 1);
  // Gemini has no switch for parallel calls: `false` is honoured by passing on only the first call.
  const parallelToolCalls = chatRequest.parallel_tool_calls !== false;

  if (chatRequest.stream) {
    const includeUsage = chatRequest.stream_options?.include_usage === true;
    const identity = newCompletionIdentity(target.id);
    const onEnd = context.deferLog(target);
    const streamOne = (candidate: typeof input, onCandidateEnd: StreamOptions['onEnd']) =>
      streamChatCompletion(streamGemini(candidate, callContext), {
        identity,
        includeUsage,
        heartbeatMs: config.streamHeartbeatMs,
        commitAt: context.receivedAt + config.streamHeartbeatMs,
        clientSignal: request.signal,
        upstreamAbort,
        errorContext: errorContext(target),
        headers: context.headers,
        onServed: context.noteModel,
        onEnd: onCandidateEnd,
        parallelToolCalls,
      });
    if (candidates.length === 1) return streamOne(candidates[0], onEnd);
    return streamCandidates(candidates, streamOne, { includeUsage, headers: context.headers, upstreamAbort, onEnd });
  }

  let served = target;
  const completeOne = async (candidate: typeof input) => {
    const answer = await generateGemini(candidate, callContext);
    served = answer.model;
    const completion = chatCompletion(newCompletionIdentity(answer.model.id), answer.result);
    return withToolCalls(completion, answer.result.toolCalls, { parallel: parallelToolCalls });
  };
  try {
    const completions = await allCandidates(candidates, completeOne, upstreamAbort);
    context.noteModel(served);
    return Response.json(mergeCompletions(completions), {
      headers: { ...context.headers, ...substitutionHeaders(served) },
    });
  } catch (error) {
    throw toApiError(error, errorContext(served));
  }
}

/** Which Chat Completions param carries each setting the core checks against the model's metadata. */
function settingParams(request: ChatCompletionRequest): UpstreamErrorContext['params'] {
  return {
    reasoning: 'reasoning_effort',
    maxOutputTokens: request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
    temperature: 'temperature',
  };
}
