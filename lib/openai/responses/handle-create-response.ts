import { authorize } from '@/lib/auth';
import { generateGemini, streamGemini } from '@/lib/core/gemini-call';
import { checkModelSettings } from '@/lib/core/model-settings';
import { resolveModel, substitutionHeaders } from '@/lib/core/model-target';
import { assertDatabaseReachable, getDb } from '@/lib/db/client';
import { invalidRequest } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { findNul } from '@/lib/nul';
import { openAICallContext } from '@/lib/openai/call-context';
import { streamEvents } from '@/lib/openai/event-stream';
import { formatParam } from '@/lib/openai/parse-request';
import { OutputAssembler } from '@/lib/openai/responses/output-assembler';
import { parseResponsesRequest } from '@/lib/openai/responses/parse-request';
import { sealSignatures } from '@/lib/openai/responses/reasoning-seal';
import { newResponseId, type ResponseObject, responseObject } from '@/lib/openai/responses/response-object';
import { encodeResponseEvent, responseEvents } from '@/lib/openai/responses/stream-events';
import { toResponsesCall } from '@/lib/openai/responses/to-call-input';
import { apiOwnerId } from '@/lib/owner';
import { getStoredResponse, historyOf, saveResponse } from '@/lib/storage/responses';
import { toApiError, type UpstreamErrorContext } from '@/lib/upstream-errors';

/** A stored response keeps its input in the database, which cannot hold U+0000; without `store` it may go to Gemini. */
function refuseNul(body: unknown): void {
  const path = findNul(body);
  if (!path) return;
  const param = formatParam(path);
  throw invalidRequest(
    `${param} contains the NUL character (U+0000), which Iris cannot store. Remove it, or send "store": false.`,
    param,
    'invalid_value',
  );
}

/** Which Responses param carries each setting the core checks against the model's metadata. */
const SETTING_PARAMS: UpstreamErrorContext['params'] = {
  reasoning: 'reasoning.effort',
  maxOutputTokens: 'max_output_tokens',
  temperature: 'temperature',
};

/** POST /v1/responses: authenticate, validate, continue a stored conversation, call Gemini, answer as JSON or SSE. */
export async function handleCreateResponse(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const caller = await authorize(request, config);
  const body = await readJsonBody(request, config.maxRequestBytes);
  const responsesRequest = parseResponsesRequest(body);
  const ownerId = apiOwnerId(request);
  const store = responsesRequest.store !== false;
  if (store) refuseNul(body);

  const { upstreamAbort, abortSignal, callContext, errorContext } = openAICallContext(
    request,
    config,
    caller,
    SETTING_PARAMS,
  );

  const previous = responsesRequest.previous_response_id
    ? await getStoredResponse(await getDb(), ownerId, responsesRequest.previous_response_id, {
        param: 'previous_response_id',
        retentionDays: config.responsesRetentionDays,
      })
    : undefined;
  // A Response that could not be stored is not answered: the outage is said before Gemini is called (and billed).
  if (store && !previous) await assertDatabaseReachable();
  const target = await resolveModel(responsesRequest.model, callContext);
  const call = await toResponsesCall(responsesRequest, target, {
    limits: config.images,
    config,
    signal: abortSignal,
    history: previous ? historyOf(previous) : [],
  });
  try {
    checkModelSettings(target, call.input.settings);
  } catch (error) {
    throw toApiError(error, errorContext(target));
  }

  const identity = { id: newResponseId(), createdAt: Math.floor(Date.now() / 1000), model: target.id };
  const seal = (signatures: Record<string, string>) => sealSignatures(signatures, config);
  const keep = async (response: ResponseObject) => {
    if (store) {
      await saveResponse(
        await getDb(),
        ownerId,
        { response, input: call.items, previous },
        config.responsesRetentionDays,
      );
    }
  };
  const headers = {
    ...context.headers,
    ...(call.tools.ignored.length > 0 ? { 'x-iris-ignored-tools': [...new Set(call.tools.ignored)].join(', ') } : {}),
  };

  if (responsesRequest.stream) {
    const onEnd = context.deferLog(target);
    return streamEvents(streamGemini(call.input, callContext), {
      translator: (served) =>
        responseEvents({
          identity: { ...identity, model: served.id },
          request: responsesRequest,
          tools: call.tools,
          seal,
          onComplete: keep,
        }),
      encode: encodeResponseEvent,
      heartbeatMs: config.streamHeartbeatMs,
      commitAt: context.receivedAt + config.streamHeartbeatMs,
      clientSignal: request.signal,
      upstreamAbort,
      errorContext: errorContext(target),
      headers,
      onServed: context.noteModel,
      onEnd,
    });
  }

  let answer: Awaited<ReturnType<typeof generateGemini>>;
  try {
    answer = await generateGemini(call.input, callContext);
  } catch (error) {
    throw toApiError(error, errorContext(target));
  }
  context.noteModel(answer.model);
  const { result } = answer;
  // The same assembly as the stream, replayed from the finished answer, so both answers have the same shape.
  const assembler = new OutputAssembler({
    tools: call.tools,
    parallelToolCalls: responsesRequest.parallel_tool_calls !== false,
  });
  for (const part of result.content) {
    if (part.type === 'reasoning') assembler.reasoningDelta(part.text);
    else if (part.type === 'text') assembler.textDelta(part.text);
    else if (part.type === 'tool-call') assembler.toolCall(part);
    else if (part.type === 'source') assembler.source(part);
  }
  const { state } = await assembler.finish(result, seal);
  const response = responseObject({ ...identity, model: answer.model.id }, responsesRequest, {
    ...state,
    output: assembler.output,
  });
  await keep(response);
  return Response.json(response, { headers: { ...headers, ...substitutionHeaders(answer.model) } });
}
