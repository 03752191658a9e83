import { JsonToSseTransformStream, UI_MESSAGE_STREAM_HEADERS, type UIMessageChunk } from 'ai';
import { keepLiveStream } from '@/lib/chat/live-answers/live-stream';
import type { LiveRun } from '@/lib/chat/live-answers/runs';

/**
 * POST /api/chat's response for a running answer: the UI message stream as SSE, kept so it can be followed
 * (live-stream.ts). The browser going away cancels only its copy; the answer runs on until it ends or is stopped.
 */
export async function liveAnswerResponse(
  run: LiveRun,
  stream: ReadableStream<UIMessageChunk>,
  headers: Record<string, string>,
): Promise<Response> {
  const sse = stream.pipeThrough(new JsonToSseTransformStream());
  const body = await keepLiveStream(run.streamId, sse, run.finish);
  return new Response(body.pipeThrough(new TextEncoderStream()), {
    headers: { ...UI_MESSAGE_STREAM_HEADERS, ...headers },
  });
}
