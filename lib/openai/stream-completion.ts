import type { GeminiStream, StreamPart } from '@/lib/core/gemini-call';
import { type ModelTarget, substitutionHeaders } from '@/lib/core/model-target';
import { ApiError } from '@/lib/errors';
import { type Bytes, SSE_DONE, SSE_HEADERS, sseComment, sseData } from '@/lib/http/sse';
import {
  type CompletionIdentity,
  chatCompletionChunk,
  toOpenAIFinishReason,
  toOpenAIUsage,
} from '@/lib/openai/response-format';
import { ToolCallDeltas } from '@/lib/openai/tool-calls-stream';
import { toApiError, type UpstreamErrorContext } from '@/lib/upstream-errors';

export interface StreamOptions {
  identity: CompletionIdentity;
  includeUsage: boolean;
  heartbeatMs: number;
  /** Aborted when the caller goes away: distinguishes a hang-up from an upstream timeout. */
  clientSignal: AbortSignal;
  /** Aborts the upstream call; the stream's call context must follow it. */
  upstreamAbort: AbortController;
  errorContext: UpstreamErrorContext;
  headers: Record<string, string>;
  /** `performance.now()` time by which the response must start, so heartbeats can flow (request arrival + heartbeat interval). */
  commitAt: number;
  /** Called once the model that serves is known, before the response starts (for the access log). */
  onServed?: (model: ModelTarget) => void;
  /** Called once when the stream ends, however it ends (for the access log). */
  onEnd?: (outcome: { status: number; code?: string | null }) => void;
  /** `parallel_tool_calls: false` passes on only the first tool call. Defaults to true. */
  parallelToolCalls?: boolean;
}

type Part = StreamPart;

/**
 * Streams a Gemini answer as OpenAI chat.completion.chunk events. The HTTP status is decided only once
 * Gemini has answered (the SDK's `start-step`), so an upstream 429 or 404 is still a proper HTTP error;
 * after the first byte, failures travel in-band as `data: {"error":…}` and end the stream.
 */
export async function streamChatCompletion(stream: GeminiStream, options: StreamOptions): Promise<Response> {
  const { includeUsage, clientSignal, upstreamAbort } = options;
  const toolCalls = new ToolCallDeltas({ parallel: options.parallelToolCalls !== false });
  const { parts } = stream;
  // The model that serves can change until Gemini has answered (a refused model is replaced), so errors name it then.
  const errorContext = () => ({ ...options.errorContext, modelId: stream.model().id });
  // A read of the SDK stream that may outlive the wait below; its outcome is kept, never dropped.
  let pending: Promise<{ next: IteratorResult<Part> } | { error: unknown }> | undefined;
  const readNext = () => {
    pending ??= parts.next().then(
      (next) => ({ next }),
      (error: unknown) => ({ error }),
    );
    return pending;
  };

  // Wait for Gemini's answer before choosing the status, but not past `commitAt`: a caller that has seen
  // nothing for a heartbeat interval gets its 200 and pings, and any later failure travels in-band.
  const early: Part[] = [];
  try {
    for (;;) {
      const wait = Math.max(0, options.commitAt - performance.now());
      const outcome = await raceTimer(readNext(), wait);
      if (outcome === 'timeout') break;
      pending = undefined;
      if ('error' in outcome) throw toApiError(outcome.error, errorContext());
      if (outcome.next.done) break;
      const part = outcome.next.value;
      if (part.type === 'error') throw toApiError(part.error, errorContext());
      if (part.type === 'abort') throw abortOutcome(clientSignal);
      early.push(part);
      if (part.type === 'start-step') break;
    }
  } catch (error) {
    closeUpstream();
    throw error;
  }

  const served = stream.model();
  const identity = { ...options.identity, model: served.id };
  options.onServed?.(served);
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
          fail(controller, streamBreak(error, errorContext()));
          return;
        }
        if (part === undefined) {
          // The SDK always ends with `finish` or `abort`; running out without either means the stream broke.
          if (clientSignal.aborted) end(controller, { status: 499, code: 'client_closed' });
          else fail(controller, streamBreak(undefined, errorContext()));
          return;
        }
        const done = translate(part, controller);
        if (done || part.type === 'text-delta' || (controller.desiredSize ?? 0) <= 0) return;
      }
    },
    cancel() {
      stopHeartbeat();
      upstreamAbort.abort();
      closeUpstream();
      options.onEnd?.({ status: 499, code: 'client_closed' });
      finished = true;
    },
  });

  return new Response(body, {
    status: 200,
    headers: { ...SSE_HEADERS, ...options.headers, ...substitutionHeaders(served) },
  });

  /** Ends the core's stream, which clears its deadline; a read still pending settles first. */
  function closeUpstream(): void {
    parts.return?.(undefined).catch(() => {});
  }

  async function nextPart(): Promise<Part | undefined> {
    const outcome = await readNext();
    pending = undefined;
    if ('error' in outcome) throw outcome.error;
    return outcome.next.done ? undefined : outcome.next.value;
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
      case 'reasoning-delta':
        // Only present when the caller asked for thoughts (include_thoughts): Gemini sends none otherwise.
        if (part.text) {
          send(controller, chatCompletionChunk(identity, { delta: { reasoning_content: part.text } }, usageField));
        }
        return false;
      case 'tool-input-start':
      case 'tool-input-delta':
      case 'tool-call':
        for (const delta of toolCalls.accept(part)) {
          send(controller, chatCompletionChunk(identity, { delta: { tool_calls: [delta] } }, usageField));
        }
        return false;
      case 'finish': {
        if (part.finishReason === 'interrupted') {
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
        return fail(controller, toApiError(part.error, errorContext()));
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
    closeUpstream();
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

async function raceTimer<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An abort we did not ask for comes from the upstream timeout. */
function abortOutcome(clientSignal: AbortSignal): ApiError {
  if (clientSignal.aborted) return new ApiError(499, 'The client closed the request.', { code: 'client_closed' });
  return toApiError(Object.assign(new Error('upstream timeout'), { name: 'TimeoutError' }));
}
