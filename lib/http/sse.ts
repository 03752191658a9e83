const encoder = new TextEncoder();

export type Bytes = Uint8Array<ArrayBuffer>;

/** One Server-Sent Event carrying JSON, framed as OpenAI's clients parse it. */
export function sseData(payload: unknown): Bytes {
  return encoder.encode(`data: ${JSON.stringify(payload)}\n\n`);
}

/** A named event (`event:` line first), as the Responses API frames its stream. */
export function sseEvent(name: string, payload: unknown): Bytes {
  return encoder.encode(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
}

/** A comment line: SSE parsers skip it, proxies see traffic, and idle connections stay open. */
export function sseComment(text: string): Bytes {
  return encoder.encode(`: ${text}\n\n`);
}

export const SSE_DONE = encoder.encode('data: [DONE]\n\n');

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx and some other proxies buffer responses unless told not to.
  'x-accel-buffering': 'no',
};
