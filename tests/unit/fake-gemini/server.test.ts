import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../fake-gemini/models.ts';
import { type RecordedRequest, startFakeGemini } from '../../fake-gemini/server.ts';
import { fakeGeminiForTests } from '../../support/fake-gemini-lifecycle.ts';

const KEY = 'fake-gemini-key';
const MODEL = 'gemini-3-flash-preview';
// A valid 1x1 PNG and some JPEG-labelled bytes: only their hashes matter.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from(Array.from({ length: 1034 }, (_, i) => (i * 7) % 256));

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/gemini-wire/${name}`, import.meta.url), 'utf8');
const recordedText = JSON.parse(fixture('google-text.json'));
const recordedChunks = fixture('google-text.chunks.txt')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const recorded429 = JSON.parse(fixture('google-429-retry-info.json'));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const keys = (value: unknown) => Object.keys(value as object).sort();

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected structurally
type Wire = any;

const fake = fakeGeminiForTests();

const ask = (text: string, extraParts: unknown[] = []) => ({
  contents: [{ role: 'user', parts: [{ text }, ...extraParts] }],
});
// Gemini returns thought summaries only when asked (json-and-thoughts.ts).
const withThoughts = (body: object) => ({ ...body, generationConfig: { thinkingConfig: { includeThoughts: true } } });
const inline = (mimeType: string, bytes: Buffer) => ({ inlineData: { mimeType, data: bytes.toString('base64') } });

interface CallInit {
  model?: string;
  key?: string | null;
  signal?: AbortSignal;
}

function call(kind: 'generateContent' | 'streamGenerateContent', body: unknown, init: CallInit = {}) {
  const query = kind === 'streamGenerateContent' ? '?alt=sse' : '';
  const key = init.key === undefined ? KEY : init.key;
  return fetch(`${fake().baseURL}/models/${init.model ?? MODEL}:${kind}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-goog-api-key': key }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}
const generate = (body: unknown, init?: CallInit) => call('generateContent', body, init);
const stream = (body: unknown, init?: CallInit) => call('streamGenerateContent', body, init);

/** Splits an SSE body into its JSON payload strings, checking the framing Gemini uses. */
function frames(raw: string): string[] {
  expect(raw.endsWith('\r\n\r\n')).toBe(true);
  const pieces = raw.slice(0, -4).split('\r\n\r\n');
  for (const piece of pieces) expect(piece.startsWith('data: ')).toBe(true);
  return pieces.map((piece) => piece.slice('data: '.length));
}

async function readAll(res: Response): Promise<{ text: string; error: unknown }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: null };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

const lastRecord = (): RecordedRequest => {
  const record = fake().requests.at(-1);
  if (!record) throw new Error('nothing recorded');
  return record;
};

const textOf = (response: Wire): string =>
  (response.candidates?.[0]?.content?.parts ?? [])
    .filter((p: Wire) => !p.thought)
    .map((p: Wire) => p.text ?? '')
    .join('');

describe('generateContent', () => {
  it('answers in the recorded shape', async () => {
    const res = await generate(ask('How many r are in strawberry?'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body: Wire = await res.json();
    expect(keys(body)).toEqual(keys(recordedText));
    expect(keys(body.candidates[0])).toEqual(keys(recordedText.candidates[0]));
    expect(keys(body.candidates[0].content)).toEqual(keys(recordedText.candidates[0].content));
    expect(body.candidates[0]).toMatchObject({ finishReason: 'STOP', index: 0, content: { role: 'model' } });
    // Without thinking there is no thought signature or thought count; everything else is as recorded.
    expect(keys(body.candidates[0].content.parts[0])).toEqual(['text']);
    const { thoughtsTokenCount: _, ...usageWithoutThoughts } = recordedText.usageMetadata;
    expect(keys(body.usageMetadata)).toEqual(keys(usageWithoutThoughts));
    expect(keys(body.usageMetadata.promptTokensDetails[0])).toEqual(['modality', 'tokenCount']);
    expect(body.modelVersion).toBe(MODEL);
    expect(body.responseId).toMatch(/^[\w-]{23}$/);
    const u = body.usageMetadata;
    expect(u.totalTokenCount).toBe(u.promptTokenCount + u.candidatesTokenCount);
    expect(u.candidatesTokenCount).toBe(textOf(body).split(/\s+/).length);
  });

  it('with [fake:thinking] matches the recording key for key, plus a thought part', async () => {
    const body: Wire = await (await generate(withThoughts(ask('Think first [fake:thinking]')))).json();
    expect(keys(body.usageMetadata)).toEqual(keys(recordedText.usageMetadata));
    const [thought, answer] = body.candidates[0].content.parts;
    expect(thought).toMatchObject({ thought: true, text: expect.any(String) });
    expect(keys(answer)).toEqual(keys(recordedText.candidates[0].content.parts[0]));
    const u = body.usageMetadata;
    expect(u.thoughtsTokenCount).toBeGreaterThan(0);
    expect(u.totalTokenCount).toBe(u.promptTokenCount + u.candidatesTokenCount + u.thoughtsTokenCount);
  });

  it('describes the images it received, and records them decoded', async () => {
    const res = await generate({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Earlier' }, inline('image/jpeg', JPEG)] },
        { role: 'model', parts: [{ text: 'Noted.' }] },
        { role: 'user', parts: [inline('image/png', PNG), { text: 'What is this?' }] },
      ],
    });
    const body: Wire = await res.json();
    expect(textOf(body)).toBe(
      `Fake Gemini received 2 images (image/jpeg 1034 bytes sha256 ${sha256(JPEG).slice(0, 12)}; ` +
        `image/png 70 bytes sha256 ${sha256(PNG).slice(0, 12)}) in 3 turns with a system instruction. ` +
        'Last prompt: "What is this?"',
    );
    expect(lastRecord().images).toEqual([
      { mimeType: 'image/jpeg', bytes: 1034, sha256: sha256(JPEG) },
      { mimeType: 'image/png', bytes: 70, sha256: sha256(PNG) },
    ]);
    expect(body.usageMetadata.promptTokensDetails).toContainEqual({ modality: 'IMAGE', tokenCount: 2 * 258 });
  });

  it('records fileData URIs so tests can prove URLs never reach Gemini', async () => {
    const uri = 'https://example.com/cat.png';
    const body: Wire = await (
      await generate(ask('Look', [{ fileData: { mimeType: 'image/png', fileUri: uri } }]))
    ).json();
    expect(lastRecord().fileUris).toEqual([uri]);
    expect(textOf(body)).toContain(`1 file URI (${uri})`);
    await generate(ask('plain'));
    expect(lastRecord().fileUris).toEqual([]);
    expect(textOf(await (await generate(ask('none'))).json())).toContain('received no images in 1 turn.');
  });

  it('truncates at generationConfig.maxOutputTokens like Gemini', async () => {
    const body: Wire = await (await generate({ ...ask('Hi'), generationConfig: { maxOutputTokens: 3 } })).json();
    expect(body.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(textOf(body)).toBe('Fake Gemini received');
    expect(body.usageMetadata.candidatesTokenCount).toBe(3);
  });
});

describe('streamGenerateContent', () => {
  it('streams SSE frames like the recording: finishReason and final usage only on the last', async () => {
    const res = await stream(ask('How many r are in strawberry?'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const raw = await res.text();
    expect(raw).not.toContain('[DONE]');
    const chunks: Wire[] = frames(raw).map((data) => JSON.parse(data));
    expect(chunks).toHaveLength(4);
    for (const [k, chunk] of chunks.entries()) {
      const last = k === chunks.length - 1;
      expect(keys(chunk)).toEqual(keys(recordedChunks[0]));
      const shape = last ? recordedChunks.at(-1).candidates[0] : recordedChunks[0].candidates[0];
      expect(keys(chunk.candidates[0])).toEqual(keys(shape));
      expect(chunk.candidates[0].finishReason).toBe(last ? 'STOP' : undefined);
      expect(chunk.responseId).toBe(chunks[0].responseId);
    }
    const final = chunks.at(-1).usageMetadata;
    const streamed = chunks.map(textOf).join('');
    expect(final.candidatesTokenCount).toBe(streamed.split(/\s+/).length);
    expect(final.totalTokenCount).toBe(final.promptTokenCount + final.candidatesTokenCount);
    // Partial usage on earlier chunks grows, as in the recording.
    expect(chunks[0].usageMetadata.candidatesTokenCount).toBeLessThan(final.candidatesTokenCount);
    const whole: Wire = await (await generate(ask('How many r are in strawberry?'))).json();
    expect(streamed).toBe(textOf(whole));
  });

  it('honours [fake:chunks:N] and puts a thought part first with [fake:thinking]', async () => {
    const seven = frames(await (await stream(ask('Count [fake:chunks:7]'))).text());
    expect(seven).toHaveLength(7);
    const one = frames(await (await stream(ask('Count [fake:chunks:1]'))).text());
    expect(one).toHaveLength(1);
    expect(JSON.parse(one[0] as string).candidates[0].finishReason).toBe('STOP');
    const thinking: Wire[] = frames(
      await (await stream(withThoughts(ask('Think [fake:thinking] [fake:chunks:2]')))).text(),
    ).map((d) => JSON.parse(d));
    expect(thinking).toHaveLength(3);
    expect(thinking[0].candidates[0].content.parts[0].thought).toBe(true);
    expect(thinking.at(-1).candidates[0].content.parts[0].thoughtSignature).toEqual(expect.any(String));
    for (const chunk of thinking) expect(chunk.usageMetadata.thoughtsTokenCount).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  const INVALID_KEY = {
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ],
    },
  };

  it('rejects a missing or wrong API key with Google body, and records the attempt', async () => {
    for (const key of [null, 'wrong-key']) {
      const res = await generate(ask('hi [tag:auth]'), { key });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(INVALID_KEY);
      expect(lastRecord()).toMatchObject({ apiKey: key, tag: 'auth' });
    }
    const list = await fetch(`${fake().baseURL}/models`);
    expect(list.status).toBe(400);
    expect(await list.json()).toEqual(INVALID_KEY);
  });

  it('answers 404 for an unknown model and for a model without generateContent', async () => {
    // gemini-2.0-flash was shut down: Gemini no longer lists it, and answers it like any id it does not know.
    for (const model of ['gemini-does-not-exist', 'gemini-2.0-flash', 'gemini-embedding-001']) {
      const res = await generate(ask('hi'), { model });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: {
          code: 404,
          message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
          status: 'NOT_FOUND',
        },
      });
    }
  });

  it('refuses a deprecated model to a new key, as Gemini did through 2026, and serves it to a key from before', async () => {
    const refused = await generate(ask('hi'), { model: 'gemini-2.5-pro' });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      error: {
        code: 404,
        message:
          'This model models/gemini-2.5-pro is no longer available to new users. Please update your code to use a newer model for the latest features and improvements.',
        status: 'NOT_FOUND',
      },
    });
    const legacy = await startFakeGemini({ apiKeys: [KEY], legacyApiKeys: ['old-key'] });
    try {
      const call = (key: string) =>
        fetch(`${legacy.baseURL}/models/gemini-2.5-pro:generateContent`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
          body: JSON.stringify(ask('hi')),
        });
      expect((await call('old-key')).status).toBe(200);
      expect((await call(KEY)).status).toBe(404);
    } finally {
      await legacy.close();
    }
  });

  it('retires a model on request: gone from ListModels, answered 404, back after reset', async () => {
    const configure = (body: unknown) =>
      fetch(`${fake().origin}/__fake/config`, { method: 'POST', body: JSON.stringify(body) });
    const listed = async () => {
      const body: Wire = await (await fetch(`${fake().baseURL}/models`, { headers: { 'x-goog-api-key': KEY } })).json();
      return body.models.map((m: Wire) => m.name);
    };
    expect((await configure({ retiredModels: [MODEL] })).status).toBe(200);
    expect(await listed()).not.toContain(`models/${MODEL}`);
    const gone = await generate(ask('hi'));
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.message).toContain('is not found for API version v1beta');
    expect((await configure({ retiredModels: 'all' })).status).toBe(400);
    fake().reset();
    expect(await listed()).toContain(`models/${MODEL}`);
    expect((await generate(ask('hi'))).status).toBe(200);
  });

  it('answers 400 INVALID_ARGUMENT for bodies Gemini would refuse', async () => {
    const bad = [
      '{"contents": [',
      { contents: [] },
      { contents: [{ role: 'assistant', parts: [{ text: 'hi' }] }] },
      { contents: [{ role: 'user', parts: [] }] },
      ask('gif', [inline('image/gif', PNG)]),
      ask('hi [fake:nonsense]'),
      ask('hi [fake:429] [fake:503]'),
      ask('hi [fake:chunks:0]'),
    ];
    for (const body of bad) {
      const res = await generate(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    }
    expect(fake().requests[0]?.body).toBe('{"contents": [');
  });

  it('plays HTTP error directives in Google shape', async () => {
    const res429 = await generate(ask('quota [fake:429]'));
    expect(res429.status).toBe(429);
    expect(await res429.json()).toEqual(recorded429);
    const expected: Array<[number, string]> = [
      [400, 'INVALID_ARGUMENT'],
      [403, 'PERMISSION_DENIED'],
      [500, 'INTERNAL'],
      [503, 'UNAVAILABLE'],
    ];
    for (const [code, status] of expected) {
      for (const kind of ['generateContent', 'streamGenerateContent'] as const) {
        const res = await call(kind, ask(`fail [fake:${code}]`));
        expect(res.status).toBe(code);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const body: Wire = await res.json();
        expect(body.error).toMatchObject({ code, status, message: expect.any(String) });
      }
    }
    const overloaded: Wire = await (await generate(ask('[fake:503]'))).json();
    expect(overloaded.error.message).toBe('The model is overloaded. Please try again later.');
  });

  it('reads directives from the last user turn only', async () => {
    const res = await generate({
      contents: [
        { role: 'user', parts: [{ text: 'old [fake:500]' }] },
        { role: 'model', parts: [{ text: 'ok' }] },
        { role: 'user', parts: [{ text: 'new' }] },
      ],
    });
    expect(res.status).toBe(200);
  });
});

describe('finish scenarios', () => {
  it('[fake:safety]: no content and SAFETY with ratings; streamed, partial text first', async () => {
    const body: Wire = await (await generate(ask('bad [fake:safety]'))).json();
    expect(body.candidates[0].content).toBeUndefined();
    expect(body.candidates[0]).toMatchObject({ finishReason: 'SAFETY', index: 0 });
    expect(body.candidates[0].safetyRatings).toContainEqual(expect.objectContaining({ blocked: true }));
    const chunks: Wire[] = frames(await (await stream(ask('bad [fake:safety]'))).text()).map((d) => JSON.parse(d));
    expect(chunks).toHaveLength(3);
    expect(textOf(chunks[0])).not.toBe('');
    expect(chunks[1].candidates[0].finishReason).toBeUndefined();
    expect(chunks[2].candidates[0]).toMatchObject({ finishReason: 'SAFETY' });
    expect(chunks[2].candidates[0].content).toBeUndefined();
  });

  it('[fake:recitation] and [fake:max-tokens] set their finish reasons', async () => {
    const recitation: Wire = await (await generate(ask('song [fake:recitation]'))).json();
    expect(recitation.candidates[0].finishReason).toBe('RECITATION');
    const full: Wire = await (await generate(ask('long'))).json();
    const cut: Wire = await (await generate(ask('long [fake:max-tokens]'))).json();
    expect(cut.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(textOf(cut).length).toBeLessThan(textOf(full).length);
    const chunks: Wire[] = frames(await (await stream(ask('long [fake:max-tokens]'))).text()).map((d) => JSON.parse(d));
    expect(chunks.at(-1).candidates[0].finishReason).toBe('MAX_TOKENS');
  });

  it('[fake:blocked]: no candidates, promptFeedback with blockReason', async () => {
    for (const kind of ['generateContent', 'streamGenerateContent'] as const) {
      const res = await call(kind, ask('bad [fake:blocked]'));
      const body: Wire = kind === 'generateContent' ? await res.json() : JSON.parse(frames(await res.text())[0] ?? '');
      expect(body.candidates).toBeUndefined();
      expect(body.promptFeedback.blockReason).toBe('SAFETY');
      expect(body.promptFeedback.safetyRatings.length).toBeGreaterThan(0);
      expect(body.usageMetadata.promptTokenCount).toBeGreaterThan(0);
    }
  });

  it('[fake:malformed]: HTTP 200 that is not JSON; streamed, a data line with broken JSON', async () => {
    const res = await generate(ask('[fake:malformed]'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    const data = frames(await (await stream(ask('[fake:malformed]'))).text());
    expect(() => JSON.parse(data[0] ?? '')).not.toThrow();
    expect(() => JSON.parse(data[1] ?? '')).toThrow();
  });
});

describe('connection scenarios', () => {
  it('[fake:hang]: sends nothing; the client abort is recorded', async () => {
    for (const kind of ['generateContent', 'streamGenerateContent'] as const) {
      const controller = new AbortController();
      const pending = call(kind, ask(`wait [fake:hang] [tag:hang-${kind}]`), { signal: controller.signal });
      await until(() => fake().requests.some((r) => r.tag === `hang-${kind}`));
      await sleep(150);
      controller.abort();
      await expect(pending).rejects.toThrow();
      const record = fake().requests.find((r) => r.tag === `hang-${kind}`) as RecordedRequest;
      await until(() => record.clientAborted);
      expect(record.closedAt).toBeGreaterThanOrEqual(record.receivedAt + 150);
      expect(record.finishedAt).toBeNull();
    }
  });

  it('[fake:stall]: streams one chunk then goes silent; non-stream hangs', async () => {
    const controller = new AbortController();
    const res = await stream(ask('[fake:stall] [tag:stall]'), { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('\r\n\r\n')) {
      const { done, value } = await reader.read();
      if (done) throw new Error('stream ended instead of stalling');
      seen += new TextDecoder().decode(value);
    }
    const next = reader.read().then(
      () => 'data',
      () => 'aborted',
    );
    expect(await Promise.race([next, sleep(300).then(() => 'silent')])).toBe('silent');
    expect(frames(seen)).toHaveLength(1);
    controller.abort();
    expect(await next).toBe('aborted');
    const record = lastRecord();
    await until(() => record.clientAborted);
    expect(record.finishedAt).toBeNull();

    const controller2 = new AbortController();
    const pending = generate(ask('[fake:stall]'), { signal: controller2.signal });
    const silent = await Promise.race([pending.then(() => 'answered'), sleep(300).then(() => 'silent')]);
    expect(silent).toBe('silent');
    controller2.abort();
    await expect(pending).rejects.toThrow();
  });

  it('[fake:cut]: two chunks then a dead socket; non-stream, half a body', async () => {
    const res = await stream(ask('[fake:cut]'));
    const { text, error } = await readAll(res);
    expect(error).not.toBeNull();
    const chunks: Wire[] = frames(text).map((d) => JSON.parse(d));
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) expect(chunk.candidates[0].finishReason).toBeUndefined();
    const record = lastRecord();
    expect(record.clientAborted).toBe(false);
    expect(record.finishedAt).not.toBeNull();

    const whole = await generate(ask('[fake:cut]'));
    expect(whole.status).toBe(200);
    await expect(whole.text()).rejects.toThrow();
  });

  it('[fake:delay:MS] waits before the first byte; [fake:chunk-delay:MS] between chunks', async () => {
    let started = Date.now();
    const delayed = await generate(ask('[fake:delay:250]'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(delayed.status).toBe(200);
    await delayed.arrayBuffer();

    started = Date.now();
    const res = await stream(ask('[fake:chunk-delay:100] [fake:chunks:4]'));
    const stamps: number[] = [];
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      stamps.push(Date.now() - started);
    }
    expect(stamps.at(-1)).toBeGreaterThanOrEqual(290);
    expect(stamps.length).toBeGreaterThanOrEqual(2);
  });

  it('close() resolves promptly while a request hangs', async () => {
    const other = await startFakeGemini();
    const pending = fetch(`${other.baseURL}/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY },
      body: JSON.stringify(ask('[fake:hang]')),
    });
    const rejected = expect(pending).rejects.toThrow();
    await until(() => other.requests.length === 1);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await rejected;
  });
});

describe('ListModels', () => {
  const list = (query = '') => fetch(`${fake().baseURL}/models${query}`, { headers: { 'x-goog-api-key': KEY } });

  it('returns every model on one page by default', async () => {
    const body: Wire = await (await list()).json();
    expect(body.nextPageToken).toBeUndefined();
    const names = body.models.map((m: Wire) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'models/gemini-3.1-pro-preview',
        'models/gemini-3-flash-preview',
        'models/gemini-3.1-flash-lite-preview',
        'models/gemini-2.5-flash-lite',
        'models/gemini-3.8-flash',
        'models/gemini-3.6-flash',
        'models/gemini-3.5-flash-lite',
        'models/gemini-2.5-pro',
        'models/gemma-3-27b-it',
        'models/gemini-embedding-001',
      ]),
    );
    const embedding = body.models.find((m: Wire) => m.name === 'models/gemini-embedding-001');
    expect(embedding.supportedGenerationMethods).toContain('embedContent');
    expect(embedding.supportedGenerationMethods).not.toContain('generateContent');
    const gemma = body.models.find((m: Wire) => m.name === 'models/gemma-3-27b-it');
    expect(gemma).toMatchObject({ thinking: false, maxTemperature: 1, outputTokenLimit: 8192 });
    const flash = body.models.find((m: Wire) => m.name === 'models/gemini-3-flash-preview');
    expect(flash).toMatchObject({ inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true });
    expect(flash.supportedGenerationMethods).toContain('generateContent');
    expect(lastRecord()).toMatchObject({ method: 'listModels', model: null, apiKey: KEY });
  });

  it('paginates with pageSize and pageToken', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body: Wire = await (await list(`?pageSize=2${token ? `&pageToken=${token}` : ''}`)).json();
      expect(body.models.length).toBeLessThanOrEqual(2);
      names.push(...body.models.map((m: Wire) => m.name));
      token = body.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil(MODELS.length / 2));
    expect(new Set(names).size).toBe(MODELS.length);
    const bad = await list('?pageToken=not-a-token');
    expect(bad.status).toBe(400);
  });
});

describe('control endpoints and tags', () => {
  it('lists, filters by tag, and clears requests over HTTP', async () => {
    await generate(ask('one [tag:alpha]'));
    await generate({
      contents: [
        { role: 'user', parts: [{ text: 'tagged early [tag:beta]' }] },
        { role: 'model', parts: [{ text: 'ok' }] },
        { role: 'user', parts: [{ text: 'later' }] },
      ],
    });
    await generate(ask('untagged'));
    const all: RecordedRequest[] = await (await fetch(`${fake().origin}/__fake/requests`)).json();
    expect(all.map((r) => r.tag)).toEqual(['alpha', 'beta', null]);
    expect(all[0]).toMatchObject({ method: 'generateContent', model: MODEL, apiKey: KEY, clientAborted: false });
    expect(all[0]?.finishedAt).toBeGreaterThanOrEqual(all[0]?.receivedAt ?? Infinity);
    const beta: RecordedRequest[] = await (await fetch(`${fake().origin}/__fake/requests?tag=beta`)).json();
    expect(beta).toHaveLength(1);
    expect(beta[0]?.id).toBe(all[1]?.id);
    const cleared = await fetch(`${fake().origin}/__fake/requests`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(fake().requests).toHaveLength(0);
  });

  it('makes ListModels fail on request, and restores it', async () => {
    const configure = (body: unknown) =>
      fetch(`${fake().origin}/__fake/config`, { method: 'POST', body: JSON.stringify(body) });
    expect((await configure({ modelsListStatus: 500 })).status).toBe(200);
    const failed = await fetch(`${fake().baseURL}/models`, { headers: { 'x-goog-api-key': KEY } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { code: 500, status: 'INTERNAL' } });
    expect((await configure({ modelsListStatus: 'nope' })).status).toBe(400);
    expect((await configure({ modelsListStatus: null })).status).toBe(200);
    const ok = await fetch(`${fake().baseURL}/models`, { headers: { 'x-goog-api-key': KEY } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    await configure({ modelsListStatus: 503 });
    fake().reset();
    const afterReset = await fetch(`${fake().baseURL}/models`, { headers: { 'x-goog-api-key': KEY } });
    expect(afterReset.status).toBe(200);
    await afterReset.arrayBuffer();
  });
});

describe('with the real @ai-sdk/google', () => {
  const google = () => createGoogleGenerativeAI({ baseURL: fake().baseURL, apiKey: KEY });
  const withImage = (text: string) => [
    {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text },
        { type: 'file' as const, mediaType: 'image/png', data: new Uint8Array(PNG) },
      ],
    },
  ];

  it('generateText parses text, usage and finish reasons', async () => {
    const result = await generateText({
      model: google()(MODEL),
      instructions: 'Be brief.',
      messages: withImage('What is this?'),
      maxRetries: 0,
    });
    expect(result.finishReason).toBe('stop');
    expect(result.text).toContain(`image/png 70 bytes sha256 ${sha256(PNG).slice(0, 12)}`);
    expect(result.text).toContain('with a system instruction');
    expect(lastRecord().images).toEqual([{ mimeType: 'image/png', bytes: 70, sha256: sha256(PNG) }]);
    expect(result.usage.inputTokens).toBeGreaterThan(258);
    expect(result.usage.outputTokens).toBe(result.text.split(/\s+/).length);

    const length = await generateText({ model: google()(MODEL), prompt: 'long [fake:max-tokens]', maxRetries: 0 });
    expect(length.finishReason).toBe('length');
    const filtered = await generateText({ model: google()(MODEL), prompt: 'bad [fake:safety]', maxRetries: 0 });
    expect(filtered.finishReason).toBe('content-filter');
    expect(filtered.text).toBe('');
  });

  it('generateText surfaces Google errors with their status', async () => {
    await expect(generateText({ model: google()(MODEL), prompt: '[fake:429]', maxRetries: 0 })).rejects.toMatchObject({
      statusCode: 429,
    });
  });

  it('streamText parses the stream, reasoning and usage', async () => {
    const errors: unknown[] = [];
    const result = streamText({
      model: google()(MODEL),
      messages: withImage('Stream it [fake:thinking]'),
      providerOptions: { google: { thinkingConfig: { includeThoughts: true } } },
      maxRetries: 0,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    let text = '';
    let reasoning = '';
    for await (const part of result.stream) {
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'reasoning-delta') reasoning += part.text;
    }
    expect(errors).toEqual([]);
    expect(text).toContain(`sha256 ${sha256(PNG).slice(0, 12)}`);
    expect(reasoning).toContain('Counting what arrived');
    expect(await result.finishReason).toBe('stop');
    const usage = await result.usage;
    expect(usage.outputTokenDetails.reasoningTokens).toBeGreaterThan(0);
    expect(usage.outputTokenDetails.textTokens).toBe(text.split(/\s+/).length);
    expect(lastRecord().method).toBe('streamGenerateContent');
  });

  it('streamText surfaces a cut or malformed stream as an error', async () => {
    const cut = streamText({ model: google()(MODEL), prompt: '[fake:cut]', maxRetries: 0, onError: () => {} });
    const seen: string[] = [];
    const drain = async () => {
      for await (const part of cut.stream) seen.push(part.type);
    };
    await expect(drain()).rejects.toThrow();
    expect(seen).toContain('text-delta');
    expect(seen).not.toContain('finish');

    const errors: unknown[] = [];
    const malformed = streamText({
      model: google()(MODEL),
      prompt: '[fake:malformed]',
      maxRetries: 0,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    await malformed.consumeStream();
    expect(errors).toHaveLength(1);
    expect(await malformed.finishReason).toBe('error');
  });

  it('streamText reports content-filter and length', async () => {
    for (const [directive, reason] of [
      ['[fake:safety]', 'content-filter'],
      ['[fake:max-tokens]', 'length'],
    ] as const) {
      const result = streamText({ model: google()(MODEL), prompt: directive, maxRetries: 0, onError: () => {} });
      await result.consumeStream();
      expect(await result.finishReason).toBe(reason);
    }
  });
});

describe('chunk timing record (for the benchmark)', () => {
  it('stamps each streamed chunk when it is written, in order and spaced by the chunk delay', async () => {
    const res = await stream(ask('time me [fake:chunks:3] [fake:chunk-delay:40]'));
    const { text } = await readAll(res);
    expect(frames(text)).toHaveLength(3);
    const [record] = fake().requests;
    expect(record?.chunkSentAt).toHaveLength(3);
    const [a = 0, b = 0, c = 0] = record?.chunkSentAt ?? [];
    expect(b - a).toBeGreaterThanOrEqual(35);
    expect(c - b).toBeGreaterThanOrEqual(35);
  });
});
