import { errorForStatus } from './errors.ts';
import type { Exchange } from './exchange.ts';
import { functionCallReply } from './function-calls.ts';
import { generateContentResponse, MALFORMED_JSON, type ReplyContext, streamChunks } from './reply.ts';

// What Google sends with a streamed reply; there is no `[DONE]`, the stream simply ends.
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'content-disposition': 'attachment',
  vary: 'Origin, X-Origin, Referer',
  'x-content-type-options': 'nosniff',
};

const frame = (data: string) => `data: ${data}\r\n\r\n`;

/** Plays the request's scenario out on the wire. */
export async function serveGenerate(ex: Exchange, ctx: ReplyContext, stream: boolean): Promise<void> {
  const { outcome, delayMs, errorStatus } = ctx.scenario;
  if (!(await ex.sleep(delayMs))) return;
  // Hang: the request was read; nothing is ever sent, until the client or close() ends the connection.
  if (outcome === 'hang' || (outcome === 'stall' && !stream)) return;
  if (outcome === 'error') return ex.sendJson(errorStatus, errorForStatus(errorStatus));
  // Function calls, and the answer after function responses, replace the ordinary reply (function-calls.ts).
  const functionReply = functionCallReply(ex.record.body, ctx);
  if (stream) return serveStream(ex, ctx, functionReply?.chunks);
  if (functionReply) return ex.sendJson(200, functionReply.json);
  if (outcome === 'malformed') return ex.sendText(200, 'application/json; charset=UTF-8', MALFORMED_JSON);
  if (outcome !== 'cut') return ex.sendJson(200, generateContentResponse(ctx));
  // The promised length is the whole body's, so the client sees a truncated reply, not a short complete one.
  const text = JSON.stringify(generateContentResponse(ctx), null, 2);
  ex.res.writeHead(200, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  ex.res.write(text.slice(0, Math.floor(text.length / 2)), () => ex.cut());
}

async function serveStream(ex: Exchange, ctx: ReplyContext, replacement?: unknown[]): Promise<void> {
  const { outcome, chunkDelayMs } = ctx.scenario;
  // A cut must leave the finishing chunk unsent, so it needs at least three.
  const ordinary =
    outcome === 'cut' ? { ...ctx, scenario: { ...ctx.scenario, chunks: Math.max(3, ctx.scenario.chunks) } } : ctx;
  const chunks = replacement ?? streamChunks(ordinary);
  let frames = chunks.map((chunk) => frame(JSON.stringify(chunk)));
  if (outcome === 'malformed') frames = [...frames.slice(0, 1), frame(MALFORMED_JSON)];
  ex.res.writeHead(200, SSE_HEADERS);
  for (const [k, data] of frames.entries()) {
    if (k > 0 && !(await ex.sleep(chunkDelayMs))) return;
    if (ex.signal.aborted) return;
    const cutAfter = outcome === 'cut' && k === 1;
    // Cut after the write is flushed, or the second chunk could be lost with the socket.
    ex.res.write(data, cutAfter ? () => ex.cut() : undefined);
    ex.record.chunkSentAt.push(performance.timeOrigin + performance.now());
    if (cutAfter || outcome === 'stall') return;
  }
  ex.res.end();
}
