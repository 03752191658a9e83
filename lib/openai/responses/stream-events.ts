import type { StreamPart } from '@/lib/core/gemini-call';
import type { ApiError } from '@/lib/errors';
import { type Bytes, sseEvent } from '@/lib/http/sse';
import type { EventTranslator } from '@/lib/openai/event-stream';
import { OutputAssembler, type ResponseEvent } from '@/lib/openai/responses/output-assembler';
import type { ResponsesRequest } from '@/lib/openai/responses/request-schema';
import {
  type ResponseIdentity,
  type ResponseObject,
  type ResponseState,
  responseObject,
} from '@/lib/openai/responses/response-object';
import type { ResponsesToolCalling } from '@/lib/openai/responses/tools';

/**
 * SDK parts → Responses stream events, in OpenAI's order: `response.created`, `response.in_progress`, each output
 * item's `added` … deltas … `done`, then `response.completed` (or `.incomplete`, or `.failed`) carrying the whole
 * response. Numbered by `sequence_number` as they are made.
 */

export interface ResponseEventsOptions {
  identity: ResponseIdentity;
  request: ResponsesRequest;
  tools: Pick<ResponsesToolCalling, 'customTools' | 'namespaced'>;
  /** Seals the calls' thought signatures into a reasoning item's `encrypted_content`. */
  seal: (signatures: Record<string, string>) => Promise<string>;
  /** Runs before the final event goes out (storing the response), so a client that saw it can fetch it. */
  onComplete?: (response: ResponseObject) => Promise<void>;
}

export function responseEvents(options: ResponseEventsOptions): EventTranslator<ResponseEvent> {
  const { identity, request } = options;
  const assembler = new OutputAssembler({
    tools: options.tools,
    parallelToolCalls: request.parallel_tool_calls !== false,
  });
  let sequence = 0;
  const numbered = (events: ResponseEvent[]) => events.map((event) => ({ ...event, sequence_number: sequence++ }));
  const snapshot = (state: Omit<ResponseState, 'output'>) =>
    responseObject(identity, request, { ...state, output: structuredClone(assembler.output) });

  return {
    open: () =>
      numbered([
        { type: 'response.created', response: snapshot({ status: 'in_progress' }) },
        { type: 'response.in_progress', response: snapshot({ status: 'in_progress' }) },
      ]),
    async translate(part: StreamPart) {
      switch (part.type) {
        case 'reasoning-delta':
          return { events: numbered(assembler.reasoningDelta(part.text)) };
        case 'text-delta':
          return { events: numbered(assembler.textDelta(part.text)) };
        case 'tool-input-start':
          return { events: numbered(assembler.toolInputStart(part.id, part.toolName, part.providerExecuted)) };
        case 'source':
          return { events: numbered(assembler.source(part)) };
        case 'tool-input-delta':
          return { events: numbered(assembler.toolInputDelta(part.id, part.delta)) };
        case 'tool-call':
          return { events: numbered(assembler.toolCall(part)) };
        case 'finish': {
          const { events, state } = await assembler.finish(part, options.seal);
          const response = snapshot(state);
          await options.onComplete?.(response);
          events.push({ type: state.incompleteReason ? 'response.incomplete' : 'response.completed', response });
          return { events: numbered(events), end: true };
        }
        default:
          return { events: [] };
      }
    },
    fail: (error: ApiError) =>
      numbered([
        { type: 'error', code: error.code, message: error.message, param: error.param },
        {
          type: 'response.failed',
          response: snapshot({ status: 'failed', error: { code: responseErrorCode(error), message: error.message } }),
        },
      ]),
  };
}

export const encodeResponseEvent = (event: ResponseEvent): Bytes => sseEvent(event.type, event);

/** The spec's ResponseErrorCode has no room for Iris's own codes: a quota is a rate limit, the rest a server error. */
function responseErrorCode(error: ApiError): 'rate_limit_exceeded' | 'server_error' {
  return error.status === 429 ? 'rate_limit_exceeded' : 'server_error';
}
