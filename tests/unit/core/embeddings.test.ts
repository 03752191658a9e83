import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { resolveEmbeddingModel } from '@/lib/core/embedding-target';
import { embeddingUsage, estimateTokens } from '@/lib/core/embedding-usage';
import type { CallContext } from '@/lib/core/gemini-call';
import { embedGemini } from '@/lib/core/gemini-embed';
import type { ModelTarget } from '@/lib/core/model-target';
import { embeddingTaskType } from '@/lib/openai/embeddings/google-extras';
import { parseEmbeddingRequest } from '@/lib/openai/embeddings/parse-request';
import { createEmbeddingResponse } from '@/lib/openai/embeddings/response';
import { fakeEmbedding } from '../../fake-gemini/embeddings.ts';
import { apiErrorOf } from '../../support/api-error.ts';
import { fakeGeminiForTests } from '../../support/fake-gemini-lifecycle.ts';
import { validateOpenAI } from '../../support/openapi.ts';

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected structurally
type Wire = any;

const texts = (n: number, prefix = 'text') => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('parseEmbeddingRequest', () => {
  const model = 'text-embedding-3-small';

  it('takes a string, an array of strings, and every documented option', () => {
    const request = parseEmbeddingRequest({
      model,
      input: ['a', 'b'],
      dimensions: 256,
      encoding_format: 'base64',
      user: 'user-1',
      google: { task_type: 'RETRIEVAL_DOCUMENT' },
      some_vendor_field: true,
    });
    expect(request).toMatchObject({ model, input: ['a', 'b'], dimensions: 256, encoding_format: 'base64' });
    expect(embeddingTaskType(request)).toBe('RETRIEVAL_DOCUMENT');
    expect(parseEmbeddingRequest({ model, input: 'one' }).input).toBe('one');
    expect(validateOpenAI('CreateEmbeddingRequest', { model, input: ['a', 'b'], dimensions: 256 })).toEqual([]);
  });

  it('reads task_type from extra_body.google too, and refuses it in both places', () => {
    const nested = parseEmbeddingRequest({
      model,
      input: 'q',
      extra_body: { google: { task_type: 'RETRIEVAL_QUERY' } },
    });
    expect(embeddingTaskType(nested)).toBe('RETRIEVAL_QUERY');
    const both = parseEmbeddingRequest({
      model,
      input: 'q',
      google: { task_type: 'RETRIEVAL_QUERY' },
      extra_body: { google: { task_type: 'CLUSTERING' } },
    });
    expect(apiErrorOf(() => embeddingTaskType(both)).param).toBe('extra_body.google');
  });

  it.each([
    ['no input', { model }, 'input', 'input is required.'],
    ['an empty string', { model, input: '' }, 'input', 'input must not be empty.'],
    ['an empty array', { model, input: [] }, 'input', 'input must hold at least one string.'],
    ['an empty string in the array', { model, input: ['a', ''] }, 'input[1]', 'input[1] must not be empty.'],
    ['a number in the array', { model, input: ['a', 3, 'c'] }, 'input[1]', 'input[1] must be a string, not number 3.'],
    ['2,049 inputs', { model, input: texts(2049) }, 'input', 'input: must hold at most 2048 strings, as at OpenAI.'],
    ['dimensions 0', { model, input: 'a', dimensions: 0 }, 'dimensions', 'dimensions must be at least 1.'],
    [
      'fractional dimensions',
      { model, input: 'a', dimensions: 1.5 },
      'dimensions',
      'dimensions must be an integer, not number 1.5.',
    ],
    [
      'an unknown encoding_format',
      { model, input: 'a', encoding_format: 'int8' },
      'encoding_format',
      'encoding_format must be one of "float", "base64".',
    ],
    [
      'an unknown task_type',
      { model, input: 'a', google: { task_type: 'NOPE' } },
      'google.task_type',
      'google.task_type must be one of "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY", "CLASSIFICATION", "CLUSTERING", "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY".',
    ],
    [
      'a Gemini option Iris does not know',
      { model, input: 'a', google: { title: 'x' } },
      'google',
      'google is invalid: Unrecognized key: "title".',
    ],
    ['no model', { input: 'a' }, 'model', 'model is required.'],
    [
      'a model id with a slash',
      { model: 'a/b', input: 'a' },
      'model',
      'model is invalid: must be a model id such as "gemini-embedding-001" (letters, digits, ".", "_" and "-").',
    ],
  ])('refuses %s, naming the param', (_, body, param, message) => {
    const error = apiErrorOf(() => parseEmbeddingRequest(body));
    expect([error.status, error.param, error.code]).toEqual([400, param, 'invalid_value']);
    expect(error.message).toBe(message);
  });

  it.each([
    [[1212, 318, 257]],
    [
      [
        [1212, 318],
        [257, 1332],
      ],
    ],
  ])('refuses token ids %j, naming input', (input) => {
    const error = apiErrorOf(() => parseEmbeddingRequest({ model, input }));
    expect([error.status, error.param, error.code]).toEqual([400, 'input', 'unsupported_parameter']);
    expect(error.message).toMatch(/token ids.*send the text itself/);
  });

  it('refuses a body that is not an object', () => {
    expect(apiErrorOf(() => parseEmbeddingRequest(['a'])).code).toBe('invalid_json');
  });
});

describe('createEmbeddingResponse', () => {
  const model: ModelTarget = { asked: 'text-embedding-3-small', id: 'gemini-embedding-001', how: 'alias' };
  const result = {
    embeddings: [
      [0.5, -0.25, 1e-3],
      [0, 1, -1],
    ],
    usage: { inputTokens: 7, estimated: false },
    model,
  };

  it('answers in OpenAI’s format, naming the model that served', () => {
    const response = createEmbeddingResponse(result, 'float');
    expect(validateOpenAI('CreateEmbeddingResponse', response)).toEqual([]);
    expect(response).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -0.25, 1e-3] },
        { object: 'embedding', index: 1, embedding: [0, 1, -1] },
      ],
      model: 'gemini-embedding-001',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  });

  it('encodes base64 as little-endian float32, as the openai client decodes it', () => {
    const [first] = createEmbeddingResponse(result, 'base64').data;
    const bytes = Buffer.from(first?.embedding as string, 'base64');
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x00, 0x00, 0x3f])); // 0.5f, little-endian
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual([0.5, -0.25, Math.fround(1e-3)]);
  });
});

describe('embedding usage', () => {
  const counted = (n: number) => ({ body: { embeddings: [], usageMetadata: { promptTokenCount: n } } });

  it('is Gemini’s count when every batch has one', () => {
    expect(embeddingUsage(['a', 'b'], [counted(3), counted(4)])).toEqual({ inputTokens: 7, estimated: false });
  });

  it('is the estimate for the whole request when any batch lacks a count', () => {
    const values = ['abcd', 'abcde', 'é'];
    expect(estimateTokens(values)).toBe(1 + 2 + 1);
    expect(embeddingUsage(values, [counted(3), { body: { embeddings: [] } }])).toEqual({
      inputTokens: 4,
      estimated: true,
    });
    expect(embeddingUsage(values, undefined).estimated).toBe(true);
  });
});

describe('resolveEmbeddingModel against Gemini’s list', () => {
  const fake = fakeGeminiForTests({ apiKeys: ['embed-key'] });
  const upstream = (env: Record<string, string> = {}) => ({
    config: parseConfig({ GOOGLE_GENERATIVE_AI_BASE_URL: fake().baseURL, MODELS_CACHE_TTL_MS: '1', ...env }),
    apiKey: 'embed-key',
  });

  it('maps OpenAI’s embedding names to gemini-embedding-001 by default', async () => {
    for (const asked of ['text-embedding-3-small', 'text-embedding-3-large', 'text-embedding-ada-002']) {
      const target = await resolveEmbeddingModel(asked, upstream());
      expect(target).toMatchObject({ asked, id: 'gemini-embedding-001', how: 'alias' });
      expect(target.info?.methods).toContain('embedContent');
    }
  });

  it('serves a listed embedding model as asked, with or without models/', async () => {
    const target = await resolveEmbeddingModel('models/gemini-embedding-001', upstream());
    expect(target).toMatchObject({ asked: 'gemini-embedding-001', id: 'gemini-embedding-001', how: 'as-asked' });
  });

  it('lets the operator’s MODEL_ALIASES win over the default table', async () => {
    const env = { MODEL_ALIASES: 'text-embedding-3-small=gemini-3.8-flash,house-embed=gemini-embedding-001' };
    // The operator pointed the name at a chat model: theirs wins, and it is then refused as one.
    expect(await failureOf(resolveEmbeddingModel('text-embedding-3-small', upstream(env)))).toMatchObject({
      code: 'not_an_embedding_model',
    });
    expect(await resolveEmbeddingModel('house-embed', upstream(env))).toMatchObject({
      id: 'gemini-embedding-001',
      how: 'alias',
    });
  });

  it('refuses a chat model with a 400 on model, and an unknown id with a 404', async () => {
    expect(await failureOf(resolveEmbeddingModel('gemini-3.8-flash', upstream()))).toMatchObject({
      status: 400,
      param: 'model',
      code: 'not_an_embedding_model',
    });
    for (const id of ['gemini-embedding-9', 'gpt-4o', 'constructor', 'toString']) {
      expect(await failureOf(resolveEmbeddingModel(id, upstream()))).toMatchObject({
        status: 404,
        param: 'model',
        code: 'model_not_found',
      });
    }
  });

  it('calls an unlisted id as asked when the list cannot be read', async () => {
    await fetch(`${fake().origin}/__fake/config`, { method: 'POST', body: JSON.stringify({ modelsListStatus: 500 }) });
    const config = upstream({ GOOGLE_GENERATIVE_AI_BASE_URL: `${fake().baseURL}/` });
    expect(await resolveEmbeddingModel('gemini-embedding-2', config)).toMatchObject({ id: 'gemini-embedding-2' });
  });
});

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return apiErrorOf(() => {
    throw error;
  });
}

describe('embedGemini through the AI SDK against the fake', () => {
  const fake = fakeGeminiForTests({ apiKeys: ['embed-key'] });
  const model: ModelTarget = { asked: 'gemini-embedding-001', id: 'gemini-embedding-001', how: 'as-asked' };
  const context = (env: Record<string, string> = {}, abortSignal = new AbortController().signal): CallContext => ({
    config: parseConfig({ GOOGLE_GENERATIVE_AI_BASE_URL: fake().baseURL, ...env }),
    apiKey: 'embed-key',
    abortSignal,
  });

  it('sends 250 inputs as 3 batches and returns the vectors in input order, with Gemini’s count', async () => {
    const values = texts(250, 'passage');
    const result = await embedGemini({ model, values, dimensions: 8, taskType: 'RETRIEVAL_DOCUMENT' }, context());
    expect(result.embeddings).toEqual(values.map((v) => fakeEmbedding(v, 8)));
    expect(result.usage).toEqual({ inputTokens: 500, estimated: false });
    const batches = fake().requests.filter((r) => r.method === 'batchEmbedContents');
    expect(batches.map((r) => (r.body as Wire).requests.length)).toEqual([100, 100, 50]);
    const first = (batches[0] as Wire).body.requests[0];
    expect(first).toMatchObject({ taskType: 'RETRIEVAL_DOCUMENT', outputDimensionality: 8 });
  });

  it('sends one input to :embedContent, and estimates usage when Gemini gives no count', async () => {
    const result = await embedGemini({ model, values: ['just one [fake:no-usage]'] }, context());
    expect(result.embeddings).toEqual([fakeEmbedding('just one [fake:no-usage]')]);
    expect(result.usage).toEqual({ inputTokens: estimateTokens(['just one [fake:no-usage]']), estimated: true });
    expect(fake().requests.map((r) => r.method)).toEqual(['embedContent']);
  });

  it('fails as a whole when one batch fails, and cancels the batches still running', async () => {
    // Batch 2 (inputs 100–199) fails at once; batches 1, 3 and 4 are slow.
    const slow = (i: number) => i < 100 || i >= 200;
    const values = texts(400, 'doc').map((v, i) =>
      i === 150 ? `${v} [fake:503]` : slow(i) ? `${v} [fake:delay:400]` : v,
    );
    const error = await embedGemini({ model, values, dimensions: 4 }, context()).catch((e: unknown) => e);
    expect(APICallError.isInstance(error) && error.statusCode).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const calls = fake().requests.filter((r) => r.method === 'batchEmbedContents');
    expect(calls).toHaveLength(4);
    expect(calls.filter((r) => r.clientAborted)).toHaveLength(3);
  });

  it('gives up at UPSTREAM_TIMEOUT_MS with a TimeoutError', async () => {
    const started = Date.now();
    const error = await embedGemini({ model, values: ['a [fake:hang]', 'b'] }, context({ UPSTREAM_TIMEOUT_MS: '200' }))
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
