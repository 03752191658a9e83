import { streamText, type TextStreamPart, type ToolSet } from 'ai';
import type { GeminiCall } from '@/lib/core/gemini-call';
import { ApiError } from '@/lib/errors';
import { type Bytes, SSE_DONE, SSE_HEADERS, sseComment, sseData } from '@/lib/http/sse';
import {
  type CompletionIdentity,
  chatCompletionChunk,
  toOpenAIFinishReason,
  toOpenAIUsage,
} from '@/lib/openai/response-format';
import { toApiError, type UpstreamErrorContext } from '@/lib/upstream-errors';

export interface StreamOptions {
  identity: CompletionIdentity;
  includeUsage: boolean;
  heartbeatMs: number;
  /** Aborted when the caller goes away: distinguishes a hang-up from an upstream timeout. */
  clientSignal: AbortSignal;
  /** Aborts the upstream call; `call.options.abortSignal` must follow it. */
  upstreamAbort: AbortController;
  errorContext: UpstreamErrorContext;
  headers: Record<string, string>;
  /** Called once when the stream ends, however it ends (for the access log). */
  onEnd?: (outcome: { status: number; code?: string | null }) => void;
}

type Part = TextStreamPart<ToolSet>;

/**
 * Streams a Gemini answer as OpenAI chat.completion.chunk events. The HTTP status is decided only once
 * Gemini has answered (the SDK's `start-step`), so an upstream 429 or 404 is still a proper HTTP error;
 * after the first byte, failures travel in-band as `data: {"error":…}` and end the stream.
 */
export async function streamChatCompletion(call: GeminiCall, options: StreamOptions): Promise<Response> {
  const { identity, includeUsage, clientSignal, upstreamAbort } = options;
  const result = streamText({
    ...call.options,
    // Without onError the SDK console.errors the whole request, prompt included.
    onError: () => {},
  });
  const parts = result.stream[Symbol.asyncIterator]();

  const early: Part[] = [];
  for (;;) {
    let next: IteratorResult<Part>;
    try {
      next = await parts.next();
    } catch (error) {
      throw toApiError(error, options.errorContext);
    }
    if (next.done) break;
    const part = next.value;
    if (part.type === 'error') throw toApiError(part.error, options.errorContext);
    if (part.type === 'abort') throw abortOutcome(clientSignal);
    early.push(part);
    if (part.type === 'start-step') break;
  }

  const usageField = includeUsage ? null : undefined;
  let finished = false;
  let heartbeat: NodeJS.Timeout | undefined;

  const body = new ReadableStream<Bytes>({
    start(controller) {
      heartbeat = setInterval(() => {
        controller.enqueue(sseComment('ping'));
      }, options.heartbeatMs);
      // An idle interval must not keep a finished process alive.
      heartbeat.unref();
      send(controller, chatCompletionChunk(identity, { delta: { role: 'assistant', content: '' } }, usageField));
    },
    async pull(controller) {
      // Read upstream only while the reader wants more, so a slow reader applies backpressure to Gemini.
      for (;;) {
        let part: Part | undefined;
        try {
          part = early.shift() ?? (await nextPart());
        } catch (error) {
          // The SDK throws from the iterator when a started stream breaks (a cut connection).
          fail(controller, streamBreak(error, options.errorContext));
          return;
        }
        if (part === undefined) {
          end(controller, { status: 200 });
          return;
        }
        const done = translate(part, controller);
        if (done || part.type === 'text-delta' || (controller.desiredSize ?? 0) <= 0) return;
      }
    },
    cancel() {
      stopHeartbeat();
      upstreamAbort.abort();
      options.onEnd?.({ status: 499, code: 'client_closed' });
      finished = true;
    },
  });

  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...options.headers } });

  async function nextPart(): Promise<Part | undefined> {
    const next = await parts.next();
    return next.done ? undefined : next.value;
  }

  function send(controller: ReadableStreamDefaultController<Bytes>, payload: unknown): void {
    controller.enqueue(sseData(payload));
    // Data just went out, so the next ping is due a full interval from now.
    heartbeat?.refresh();
  }

  /** Returns true when the stream has ended. */
  function translate(part: Part, controller: ReadableStreamDefaultController<Bytes>): boolean {
    switch (part.type) {
      case 'text-delta':
        if (part.text) send(controller, chatCompletionChunk(identity, { delta: { content: part.text } }, usageField));
        return false;
      case 'finish': {
        if (part.finishReason === 'interrupted' || part.finishReason === 'error') {
          return fail(
            controller,
            new ApiError(502, 'Gemini ended the stream before finishing its answer.', {
              code: 'upstream_stream_interrupted',
            }),
          );
        }
        send(
          controller,
          chatCompletionChunk(
            identity,
            { delta: {}, finishReason: toOpenAIFinishReason(part.finishReason) },
            usageField,
          ),
        );
        if (includeUsage) send(controller, chatCompletionChunk(identity, null, toOpenAIUsage(part.totalUsage)));
        controller.enqueue(SSE_DONE);
        return end(controller, { status: 200 });
      }
      case 'error':
        return fail(controller, toApiError(part.error, options.errorContext));
      case 'abort':
        if (clientSignal.aborted) return end(controller, { status: 499, code: 'client_closed' });
        return fail(controller, abortOutcome(clientSignal));
      default:
        return false;
    }
  }

  function fail(controller: ReadableStreamDefaultController<Bytes>, error: ApiError): boolean {
    controller.enqueue(sseData(error.toJSON()));
    return end(controller, { status: error.status, code: error.code });
  }

  function end(
    controller: ReadableStreamDefaultController<Bytes>,
    outcome: { status: number; code?: string | null },
  ): true {
    stopHeartbeat();
    if (!finished) {
      finished = true;
      options.onEnd?.(outcome);
      controller.close();
    }
    return true;
  }

  function stopHeartbeat(): void {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  }
}

function streamBreak(error: unknown, context: UpstreamErrorContext): ApiError {
  const mapped = toApiError(error, context);
  if (mapped.code === 'upstream_timeout') return mapped;
  return new ApiError(502, 'Gemini ended the stream before finishing its answer.', {
    code: 'upstream_stream_interrupted',
  });
}

/** An abort we did not ask for comes from the upstream timeout. */
function abortOutcome(clientSignal: AbortSignal): ApiError {
  if (clientSignal.aborted) return new ApiError(499, 'The client closed the request.', { code: 'client_closed' });
  return toApiError(Object.assign(new Error('upstream timeout'), { name: 'TimeoutError' }));
}
