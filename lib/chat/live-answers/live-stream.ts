import { createResumableStreamContext, type ResumableStreamContext } from 'resumable-stream/generic';
import { inProcessChannel, type LiveChannel, liveChannel } from '@/lib/chat/live-answers/channel';
import { processState } from '@/lib/chat/live-answers/process-state';

/**
 * An answer's SSE stream, kept so it can be followed: resumable-stream reads it to its end whoever listens (the
 * answer is finished and saved although the browser went away) and replays it from the start to any later reader
 * (a reload, a reopened chat, a second tab), through Redis or within this process (see channel.ts).
 */

const contexts = processState('stream-contexts', () => new WeakMap<LiveChannel, ResumableStreamContext>());

function contextFor(channel: LiveChannel): ResumableStreamContext {
  let context = contexts.get(channel);
  if (!context) {
    // waitUntil null: `next start` is a long-lived server, the reading loop needs nothing to keep it alive.
    context = createResumableStreamContext({
      keyPrefix: 'iris:live',
      waitUntil: null,
      publisher: channel.publisher,
      subscriber: channel.subscriber,
    });
    contexts.set(channel, context);
  }
  return context;
}

/** Starts keeping `sse` under `streamId`; the returned stream is the first reader's copy. */
export async function keepLiveStream(
  streamId: string,
  sse: ReadableStream<string>,
  onEnd: () => void,
): Promise<ReadableStream<string>> {
  const source = endsQuietly(sse, onEnd);
  for (const channel of [await liveChannel(), inProcessChannel()]) {
    try {
      const stream = await contextFor(channel).createNewResumableStream(streamId, () => source);
      if (stream) return stream;
    } catch {
      // Redis refused the subscription: this process keeps the stream instead.
    }
  }
  return detached(source);
}

/** The rest of a running answer, replayed from its start; undefined when none is running under that id. */
export async function followLiveStream(streamId: string): Promise<ReadableStream<string> | undefined> {
  try {
    return (await contextFor(await liveChannel()).resumeExistingStream(streamId)) ?? undefined;
  } catch {
    // No answer to the request within a second: the instance writing it is gone.
    return undefined;
  }
}

/**
 * resumable-stream reads without catching, so a failing source would be an unhandled rejection and a stuck
 * stream; the answer's own onEnd has saved what went wrong by then, so the stream just ends.
 */
function endsQuietly(source: ReadableStream<string>, onEnd: () => void): ReadableStream<string> {
  const reader = source.getReader();
  return new ReadableStream<string>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
      } catch {
        // Ends below.
      }
      controller.close();
      onEnd();
    },
  });
}

/** Reads `source` to its end even when nobody reads the returned stream (the browser went away). */
function detached(source: ReadableStream<string>): ReadableStream<string> {
  return new ReadableStream<string>({
    start(controller) {
      void (async () => {
        const reader = source.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          try {
            controller.enqueue(value);
          } catch {
            // The reader went away; the answer goes on.
          }
        }
        try {
          controller.close();
        } catch {
          // Already cancelled.
        }
      })();
    },
  });
}
