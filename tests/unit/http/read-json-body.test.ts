import { describe, expect, it } from 'vitest';
import { DEFAULT_JSON_LIMITS, JsonGuard } from '@/lib/http/json-guard';
import { isJsonContentType, readJsonBody } from '@/lib/http/read-json-body';

const encoder = new TextEncoder();

function post(body: string | ReadableStream<Uint8Array>, contentType: string | null = 'application/json') {
  return new Request('http://iris.test/v1/chat/completions', {
    method: 'POST',
    headers: contentType === null ? {} : { 'content-type': contentType },
    body,
    // @ts-expect-error Node's fetch needs it for a stream body; the DOM typings do not know it.
    duplex: 'half',
  });
}

/** A body that sends `head` and then nothing, ever, and says when it was cancelled. */
function stalling(head: string) {
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** A body of `chunks` chunks made only when read, counting how many were. */
function generated(first: string, next: (i: number) => string, chunks: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === chunks) return controller.close();
        controller.enqueue(encoder.encode(state.pulled === 0 ? first : next(state.pulled)));
        state.pulled++;
      },
    },
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );
  return { stream, state };
}

const options = { idleTimeoutMs: 5_000 };

describe('readJsonBody', () => {
  it('reads a JSON body sent as application/json, with a charset or as a +json type', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/merge-patch+json']) {
      expect(await readJsonBody(post('{"a":[1,2]}', type), 1024, options)).toEqual({ a: [1, 2] });
    }
  });

  it('refuses form, text and untyped bodies with a 415 that tells curl users what to add', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain;charset=UTF-8', 'multipart/form-data', null]) {
      const error = await readJsonBody(post('{"a":1}', type), 1024, options).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect((error as Error).message).toContain("-H 'Content-Type: application/json'");
    }
    expect(isJsonContentType('application/jsonp')).toBe(false);
    expect(isJsonContentType('text/json')).toBe(false);
  });

  it('stops a body of too many keys while it arrives, long before its end', async () => {
    // 31 MB of unknown keys, made as it is read: the reader must give up after the first few hundred chunks.
    const { stream, state } = generated('{"model":"m"', (i) => `,"k${i}a":1,"k${i}b":2,"k${i}c":3`.repeat(200), 10_000);
    const error = await readJsonBody(post(stream), 32 * 1024 * 1024, options).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'json_too_complex' });
    expect((error as Error).message).toContain('100,000 object keys');
    expect(state.pulled).toBeLessThan(200);
  });

  it('refuses nesting deeper than the limit, and a string longer than the route allows', async () => {
    const deep = `${'['.repeat(DEFAULT_JSON_LIMITS.maxDepth + 1)}${']'.repeat(DEFAULT_JSON_LIMITS.maxDepth + 1)}`;
    await expect(readJsonBody(post(deep), 1024 * 1024, options)).rejects.toMatchObject({ code: 'json_too_complex' });
    const fine = `${'['.repeat(DEFAULT_JSON_LIMITS.maxDepth)}${']'.repeat(DEFAULT_JSON_LIMITS.maxDepth)}`;
    expect(await readJsonBody(post(fine), 1024 * 1024, options)).toBeInstanceOf(Array);

    const long = JSON.stringify({ text: 'é'.repeat(11) });
    const limited = { ...options, json: { maxStringChars: 10 } };
    await expect(readJsonBody(post(long), 1024, limited)).rejects.toMatchObject({ code: 'json_too_complex' });
    // Escapes and multi-byte characters count once: exactly ten characters pass.
    const ten = JSON.stringify({ text: `é\n\u00e9${'\u4e2d'.repeat(5)}\u0001x` });
    expect(ten.length).toBeGreaterThan(10);
    expect(await readJsonBody(post(ten), 1024, limited)).toEqual(JSON.parse(ten));
  });

  it('answers 408 for a body that stops arriving, and lets it go', async () => {
    const { stream, state } = stalling('{"model":');
    const started = performance.now();
    const error = await readJsonBody(post(stream), 1024, { idleTimeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 408, code: 'request_timeout', headers: { connection: 'close' } });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(state.cancelled).toBe(true);
  });

  it('still refuses an oversized body by its Content-Length or its bytes, naming the route’s limit', async () => {
    const error = await readJsonBody(post(JSON.stringify({ t: 'x'.repeat(2000) })), 1000, {
      ...options,
      limitName: 'CHAT_MAX_MESSAGE_CHARS',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 413, code: 'request_too_large' });
    expect((error as Error).message).toContain('CHAT_MAX_MESSAGE_CHARS');
  });
});

describe('JsonGuard', () => {
  it('ignores structure inside strings, escaped quotes included', () => {
    const guard = new JsonGuard({ ...DEFAULT_JSON_LIMITS, maxKeys: 1, maxDepth: 2 });
    expect(guard.push(encoder.encode('{"a":"[[[{{{:::,,,\\"]]]:::"}'))).toBeUndefined();
    expect(new JsonGuard({ ...DEFAULT_JSON_LIMITS, maxKeys: 1 }).push(encoder.encode('{"a":1,"b":2}'))).toBe('keys');
  });

  it('counts across chunk boundaries', () => {
    const guard = new JsonGuard({ ...DEFAULT_JSON_LIMITS, maxValues: 2 });
    expect(guard.push(encoder.encode('[1,2'))).toBeUndefined();
    expect(guard.push(encoder.encode(',3'))).toBe('values');
  });
});
