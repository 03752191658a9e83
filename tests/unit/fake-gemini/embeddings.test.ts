import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { embed, embedMany } from 'ai';
import { describe, expect, it } from 'vitest';
import { FAKE_EMBEDDING_DIMENSIONS, fakeEmbedding, fakeTokenCount } from '../../fake-gemini/embeddings.ts';
import { fakeGeminiForTests } from '../../support/fake-gemini-lifecycle.ts';

const KEY = 'fake-gemini-key';
const MODEL = 'gemini-embedding-001';

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected structurally
type Wire = any;

const fake = fakeGeminiForTests();

function call(
  method: 'embedContent' | 'batchEmbedContents',
  body: unknown,
  init: { model?: string; key?: string } = {},
) {
  return fetch(`${fake().baseURL}/models/${init.model ?? MODEL}:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': init.key ?? KEY },
    body: JSON.stringify(body),
  });
}
const one = (text: string, extra: object = {}) => ({
  model: `models/${MODEL}`,
  content: { parts: [{ text }] },
  ...extra,
});
const batch = (texts: string[], extra: object = {}) => ({ requests: texts.map((text) => one(text, extra)) });

describe('the fake’s embedding vectors', () => {
  it('are derived from the text alone, deterministic, and differ between texts', () => {
    expect(fakeEmbedding('a cat')).toEqual(fakeEmbedding('a cat'));
    expect(fakeEmbedding('a cat')).not.toEqual(fakeEmbedding('a dog'));
    expect(fakeEmbedding('a cat')).toHaveLength(FAKE_EMBEDDING_DIMENSIONS);
  });

  it('truncate to a shorter dimensionality, as Gemini’s do', () => {
    expect(fakeEmbedding('a cat', 5)).toEqual(fakeEmbedding('a cat').slice(0, 5));
  });

  it('hold only values float32 keeps exactly, in [-1, 1)', () => {
    const values = fakeEmbedding('float32 check', 256);
    expect(Array.from(new Float32Array(values))).toEqual(values);
    expect(values.every((v) => v >= -1 && v < 1)).toBe(true);
  });
});

describe(':embedContent and :batchEmbedContents', () => {
  it('embeds one text, with Gemini’s usage metadata', async () => {
    const response = await call('embedContent', one('hello there world', { taskType: 'RETRIEVAL_QUERY' }));
    expect(response.status).toBe(200);
    const body: Wire = await response.json();
    expect(body.embedding.values).toEqual(fakeEmbedding('hello there world'));
    expect(body.usageMetadata).toEqual({
      promptTokenCount: 3,
      promptTokenDetails: [{ modality: 'TEXT', tokenCount: 3 }],
    });
    expect(fake().requests.at(-1)).toMatchObject({ method: 'embedContent', model: MODEL, apiKey: KEY });
  });

  it('embeds a batch in order, honours outputDimensionality, and files it under its tag', async () => {
    const texts = ['first [tag:emb1]', 'second one', 'third of three'];
    const response = await call('batchEmbedContents', batch(texts, { outputDimensionality: 8 }));
    const body: Wire = await response.json();
    expect(body.embeddings.map((e: Wire) => e.values)).toEqual(texts.map((t) => fakeEmbedding(t, 8)));
    expect(body.usageMetadata.promptTokenCount).toBe(texts.reduce((n, t) => n + fakeTokenCount(t), 0));
    expect(fake().requests.at(-1)).toMatchObject({ method: 'batchEmbedContents', tag: 'emb1' });
  });

  it('refuses what Gemini refuses: over 100 per batch, a foreign model, empty text, bad options', async () => {
    const refusals: [unknown, RegExp][] = [
      [batch(Array.from({ length: 101 }, (_, i) => `t${i}`)), /at most 100 requests/],
      [{ requests: [one('a'), { ...one('b'), model: 'models/other' }] }, /requests\[1\]\.model/],
      [batch(['a', '']), /requests\[1\]\.content: text must not be empty/],
      [batch(['a'], { taskType: 'NOPE' }), /task_type/],
      [batch(['a'], { outputDimensionality: 0 }), /output_dimensionality/],
      [batch(['a [fake:safety]']), /means nothing to an embedding call/],
    ];
    for (const [body, message] of refusals) {
      const response = await call('batchEmbedContents', body);
      expect(response.status).toBe(400);
      const error: Wire = await response.json();
      expect(error.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(error.error.message).toMatch(message);
    }
  });

  it('answers 404 for a model that cannot embed, and Google’s 400 for a wrong key', async () => {
    const chat = await call('embedContent', one('a'), { model: 'gemini-3.8-flash' });
    expect(chat.status).toBe(404);
    expect(((await chat.json()) as Wire).error.message).toBe(
      'models/gemini-3.8-flash is not found for API version v1beta, or is not supported for embedContent. Call ListModels to see the list of available models and their supported methods.',
    );
    const wrongKey = await call('embedContent', one('a'), { key: 'nope' });
    expect(wrongKey.status).toBe(400);
    expect(((await wrongKey.json()) as Wire).error.details[0].reason).toBe('API_KEY_INVALID');
  });

  it('plays directives: an HTTP error, a delay, and no usage metadata', async () => {
    const failed = await call('batchEmbedContents', batch(['a', 'b [fake:429]']));
    expect(failed.status).toBe(429);
    const started = Date.now();
    const slow = await call('embedContent', one('slow [fake:delay:150] [fake:no-usage]'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const body: Wire = await slow.json();
    expect(Object.keys(body)).toEqual(['embedding']);
  });
});

describe('the AI SDK’s Google embedding model against the fake', () => {
  const google = () => createGoogleGenerativeAI({ apiKey: KEY, baseURL: fake().baseURL });

  it('embed() uses :embedContent with taskType and dimensions', async () => {
    const { embedding } = await embed({
      model: google().embedding(MODEL),
      value: 'one query',
      providerOptions: { google: { taskType: 'RETRIEVAL_QUERY', outputDimensionality: 16 } },
    });
    expect(embedding).toEqual(fakeEmbedding('one query', 16));
    const record = fake().requests.at(-1);
    expect(record?.method).toBe('embedContent');
    expect(record?.body).toMatchObject({ taskType: 'RETRIEVAL_QUERY', outputDimensionality: 16 });
  });

  it('embedMany() splits 250 values into batches of 100 and keeps their order', async () => {
    const values = Array.from({ length: 250 }, (_, i) => `document number ${i}`);
    const { embeddings, responses } = await embedMany({
      model: google().embedding(MODEL),
      values,
      dimensions: 4,
      maxParallelCalls: 2,
    });
    expect(embeddings).toEqual(values.map((v) => fakeEmbedding(v, 4)));
    const calls = fake().requests.filter((r) => r.method === 'batchEmbedContents');
    expect(calls.map((r) => (r.body as Wire).requests.length)).toEqual([100, 100, 50]);
    // The SDK drops Gemini's usage, but hands over each raw body, which still has it.
    const bodies = (responses ?? []).map((r) => r?.body as Wire);
    expect(bodies.map((b) => b.usageMetadata.promptTokenCount)).toEqual([300, 300, 150]);
  });
});
