import { authorize } from '@/lib/auth';
import { generateGemini, streamGemini } from '@/lib/core/gemini-call';
import { checkModelSettings } from '@/lib/core/model-settings';
import { resolveModel, substitutionHeaders } from '@/lib/core/model-target';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { openAICallContext } from '@/lib/openai/call-context';
import { allCandidates, candidateInputs, mergeCompletions } from '@/lib/openai/candidates';
import { chatCompletion, newCompletionIdentity } from '@/lib/openai/chat-completion';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import type { ChatCompletionRequest } from '@/lib/openai/request-schema';
import { streamChatCompletion } from '@/lib/openai/stream-completion';
import { answerOptions, toCallInput } from '@/lib/openai/to-call-input';
import { withToolCalls } from '@/lib/openai/tool-calls';
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
  const input = await toCallInput(chatRequest, target, { limits: config.images, signal: abortSignal });
  try {
    checkModelSettings(target, input.settings);
  } catch (error) {
    throw toApiError(error, errorContext(target));
  }
  const { candidates: n, parallelToolCalls, stream } = answerOptions(chatRequest);
  const candidates = candidateInputs(input, n);

  if (stream) {
    const { includeUsage } = stream;
    return streamChatCompletion(
      candidates.map((candidate) => streamGemini(candidate, callContext)),
      {
        identity: newCompletionIdentity(target.id),
        includeUsage,
        heartbeatMs: config.streamHeartbeatMs,
        commitAt: context.receivedAt + config.streamHeartbeatMs,
        clientSignal: request.signal,
        upstreamAbort,
        errorContext: errorContext(target),
        headers: context.headers,
        onServed: context.noteModel,
        onEnd: context.deferLog(target),
        parallelToolCalls,
      },
    );
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
