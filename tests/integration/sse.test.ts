import { describe, expect, it } from 'vitest';
import { jsonEvents, parseSse, postChat } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';

/** The wire itself, read with plain fetch: framing, order, heartbeats and in-band errors. */

const streamBody = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'gemini-3-flash-preview',
  stream: true,
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('SSE framing', () => {
  it('frames every event as `data: <json>\\n\\n` and ends with [DONE]', async () => {
    const response = await postChat(
      streamBody('frame me [fake:chunks:3]', { stream_options: { include_usage: true } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = parseSse(text);
    expect(events.filter((e) => e.data === '[DONE]')).toHaveLength(1);
    const chunks = jsonEvents(events) as {
      choices: { finish_reason: string | null; delta: object }[];
      usage?: unknown;
    }[];
    for (const chunk of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const finishIndex = chunks.findIndex((c) => c.choices[0]?.finish_reason != null);
    expect(finishIndex).toBe(chunks.length - 2);
    expect(chunks.at(-1)?.choices).toEqual([]);
  });

  it('forwards each upstream chunk as it arrives instead of buffering the answer', async () => {
    const response = await postChat(streamBody('pace me [fake:chunks:4] [fake:chunk-delay:300]'));
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    const arrivals: { at: number; text: string }[] = [];
    const started = Date.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value);
      if (text.includes('"content":"') && !text.includes('"content":""'))
        arrivals.push({ at: Date.now() - started, text });
    }
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    // Content spread over ~900 ms upstream must reach us spread out too, not in one burst at the end.
    const first = arrivals[0]?.at ?? 0;
    const last = arrivals.at(-1)?.at ?? 0;
    expect(last - first).toBeGreaterThan(500);
  });

  it('sends `: ping` comments while the upstream is silent', async () => {
    const response = await postChat(streamBody('slow [fake:chunks:2] [fake:chunk-delay:1000]'));
    const events = parseSse(await response.text());
    expect(events.some((e) => e.comment === 'ping')).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('starts the response and pings when Gemini is slow to answer, instead of sending nothing', async () => {
    const started = Date.now();
    const response = await postChat(streamBody('slow start [fake:delay:2000]'));
    const headersAfter = Date.now() - started;
    expect(response.status).toBe(200);
    expect(headersAfter).toBeLessThan(1_500);
    const events = parseSse(await response.text());
    const firstContent = events.findIndex((e) => e.data?.includes('"content":"F'));
    expect(events.slice(0, firstContent).some((e) => e.comment === 'ping')).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('reports an upstream failure after the first byte in-band and ends the stream', async () => {
    const response = await postChat(streamBody('cut me off [fake:cut]'));
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    const last = events.at(-1);
    expect(last?.data).toBeDefined();
    const error = JSON.parse(last?.data ?? '{}');
    expect(validateOpenAI('ErrorResponse', error)).toEqual([]);
    expect(error.error.code).toBe('upstream_stream_interrupted');
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
  });

  it('turns a stalled upstream into an in-band timeout, pinging meanwhile', async () => {
    const response = await postChat(streamBody('stall [fake:stall]'));
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events.some((e) => e.comment === 'ping')).toBe(true);
    const error = JSON.parse(events.at(-1)?.data ?? '{}');
    expect(error.error.code).toBe('upstream_timeout');
  });

  it('answers an upstream error that comes before any byte with a real HTTP status', async () => {
    const response = await postChat(streamBody('limit [fake:429]'));
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = await response.json();
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
  });
});
