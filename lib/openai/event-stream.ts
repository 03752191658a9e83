import type { GeminiStream, StreamPart } from '@/lib/core/gemini-call';
import { type ModelTarget, substitutionHeaders } from '@/lib/core/model-target';
import { ApiError } from '@/lib/errors';
import { type Bytes, SSE_HEADERS, sseComment } from '@/lib/http/sse';
import { toApiError, type UpstreamErrorContext } from '@/lib/upstream-errors';

/**
 * A Gemini stream as an HTTP SSE response, for any of Iris's protocols. Each protocol gives a translator (SDK part
 * → its event objects, pure) and an encoder (event → SSE bytes); this module owns what they share: the status is
 * decided only once Gemini has answered, so an upstream 429 or 404 is still a proper HTTP error; after the first
 * byte failures travel in-band; heartbeats keep proxies from closing a quiet stream; reads follow the caller's
 * pace, so backpressure reaches Gemini; a caller who hangs up aborts Gemini.
 */

export type StreamOutcome = { status: number; code?: string | null };

type Translated<E> = { events: E[]; end?: boolean };

export interface EventTranslator<E> {
  /** Sent as the response starts. */
  open(): E[];
  /** The events for one part; `end` when the answer is complete. May wait (to store what it ends). */
  translate(part: StreamPart): Translated<E> | Promise<Translated<E>>;
  /** The in-band events that report a failure after the response has started. */
  fail(error: ApiError): E[];
}

export interface EventStreamOptions<E> {
  /** Made once the serving model is known (a refused model is replaced before Gemini answers). */
  translator: (served: ModelTarget) => EventTranslator<E>;
  encode: (event: E) => Bytes;
  heartbeatMs: number;
  /** `performance.now()` time by which the response must start, so heartbeats can flow. */
  commitAt: number;
  /** Aborted when the caller goes away: tells a hang-up from an upstream timeout. */
  clientSignal: AbortSignal;
  /** Aborts the upstream call; the stream's call context must follow it. */
  upstreamAbort: AbortController;
  errorContext: UpstreamErrorContext;
  headers: Record<string, string>;
  /** Called once the model that serves is known, before the response starts (for the access log). */
  onServed?: (model: ModelTarget) => void;
  /** Called once when the stream ends, however it ends (for the access log). */
  onEnd?: (outcome: StreamOutcome) => void;
}

export async function streamEvents<E>(stream: GeminiStream, options: EventStreamOptions<E>): Promise<Response> {
  const { clientSignal, upstreamAbort, encode } = options;
  const { parts } = stream;
  // The model that serves can change until Gemini has answered, so errors name it then.
  const errorContext = () => ({ ...options.errorContext, modelId: stream.model().id });
  // A read of the SDK stream that may outlive the wait below; its outcome is kept, never dropped.
  let pending: Promise<{ next: IteratorResult<StreamPart> } | { error: unknown }> | undefined;
  const readNext = () => {
    pending ??= parts.next().then(
      (next) => ({ next }),
      (error: unknown) => ({ error }),
    );
    return pending;
  };

  // Wait for Gemini's answer before choosing the status, but not past `commitAt`: a caller that has seen
  // nothing for a heartbeat interval gets its 200 and pings, and any later failure travels in-band.
  const early: StreamPart[] = [];
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
    // Other calls of the request (n candidates) must stop too.
    upstreamAbort.abort();
    closeUpstream();
    throw error;
  }

  const served = stream.model();
  options.onServed?.(served);
  const translator = options.translator(served);
  let finished = false;
  let heartbeat: NodeJS.Timeout | undefined;

  const body = new ReadableStream<Bytes>({
    start(controller) {
      heartbeat = setInterval(() => {
        controller.enqueue(sseComment('ping'));
      }, options.heartbeatMs);
      // An idle interval must not keep a finished process alive.
      heartbeat.unref();
      send(controller, translator.open());
    },
    async pull(controller) {
      // Read upstream only while the reader wants more, so a slow reader applies backpressure to Gemini.
      for (;;) {
        let part: StreamPart | undefined;
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
        let ended: boolean;
        try {
          ended = await handle(part, controller);
        } catch (error) {
          // A translator that cannot finish (its store failed) ends the stream in-band, never silently.
          fail(controller, toApiError(error, errorContext()));
          return;
        }
        if (ended || part.type === 'text-delta' || (controller.desiredSize ?? 0) <= 0) return;
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

  async function nextPart(): Promise<StreamPart | undefined> {
    const outcome = await readNext();
    pending = undefined;
    if ('error' in outcome) throw outcome.error;
    return outcome.next.done ? undefined : outcome.next.value;
  }

  function send(controller: ReadableStreamDefaultController<Bytes>, events: readonly E[]): void {
    if (events.length === 0) return;
    for (const event of events) controller.enqueue(encode(event));
    // Data just went out, so the next ping is due a full interval from now.
    heartbeat?.refresh();
  }

  /** Returns true when the stream has ended. */
  async function handle(part: StreamPart, controller: ReadableStreamDefaultController<Bytes>): Promise<boolean> {
    switch (part.type) {
      case 'error':
        return fail(controller, toApiError(part.error, errorContext()));
      case 'abort':
        if (clientSignal.aborted) return end(controller, { status: 499, code: 'client_closed' });
        return fail(controller, abortOutcome(clientSignal));
      case 'finish':
        if (part.finishReason === 'interrupted') {
          return fail(
            controller,
            new ApiError(502, 'Gemini ended the stream before finishing its answer.', {
              code: 'upstream_stream_interrupted',
            }),
          );
        }
        break;
    }
    const { events, end: done } = await translator.translate(part);
    send(controller, events);
    return done ? end(controller, { status: 200 }) : false;
  }

  function fail(controller: ReadableStreamDefaultController<Bytes>, error: ApiError): boolean {
    send(controller, translator.fail(error));
    upstreamAbort.abort();
    return end(controller, { status: error.status, code: error.code });
  }

  function end(controller: ReadableStreamDefaultController<Bytes>, outcome: StreamOutcome): true {
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
