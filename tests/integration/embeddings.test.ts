import { readFileSync } from 'node:fs';
import { AuthenticationError } from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { fakeEmbedding, fakeTokenCount } from '../fake-gemini/embeddings.ts';
import { irisOpenAIEmbeddings } from '../support/clients.ts';
import { GATEWAY_KEYS, PASSTHROUGH_GEMINI_KEY, SERVER_GEMINI_KEY } from '../support/constants.ts';
import { irisUrl, newTag, openai, upstreamRequests } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';

/**
 * POST /v1/embeddings through the production build, the real @ai-sdk/google and the fake Gemini, whose vectors are
 * derived from each text (fakeEmbedding), so every test can tell which input a vector belongs to.
 */

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected structurally
type Wire = any;

function postEmbeddings(body: unknown, key: string | null = GATEWAY_KEYS[0]) {
  return fetch(`${irisUrl()}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });
}

const words = (texts: readonly string[]) => texts.reduce((n, t) => n + fakeTokenCount(t), 0);

describe('the openai client', () => {
  it('embeds one string over its default base64 transport, decoded back to the fake’s numbers', async () => {
    const text = `The quick brown fox [tag:${newTag()}]`;
    const response = await openai().embeddings.create({ model: 'text-embedding-3-small', input: text });
    expect(response.data).toHaveLength(1);
    expect(response.data[0]?.embedding).toEqual(fakeEmbedding(text));
    expect(response.model).toBe('gemini-embedding-001');
    expect(response.usage).toEqual({ prompt_tokens: words([text]), total_tokens: words([text]) });
    expect(validateOpenAI('CreateEmbeddingResponse', response)).toEqual([]);
  });

  it('gets base64 on the wire when it asks for it, and floats otherwise', async () => {
    const text = `wire format [tag:${newTag()}]`;
    const base64 = await (
      await postEmbeddings({ model: 'gemini-embedding-001', input: text, encoding_format: 'base64' })
    ).json();
    const bytes = Buffer.from(base64.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual(fakeEmbedding(text));
    const floats = await (await postEmbeddings({ model: 'gemini-embedding-001', input: text })).json();
    expect(floats.data[0].embedding).toEqual(fakeEmbedding(text));
  });

  it('embeds an array in order, cut to `dimensions`', async () => {
    const tag = newTag();
    const input = [`alpha [tag:${tag}]`, 'beta gamma', 'delta epsilon zeta'];
    const response = await openai().embeddings.create({ model: 'gemini-embedding-001', input, dimensions: 256 });
    expect(response.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(response.data.map((d) => d.embedding)).toEqual(input.map((t) => fakeEmbedding(t, 256)));
    const [upstream]: Wire[] = await upstreamRequests(tag);
    expect(upstream.method).toBe('batchEmbedContents');
    expect(upstream.body.requests.map((r: Wire) => r.outputDimensionality)).toEqual([256, 256, 256]);
  });

  it('refuses a call without a key, or with a wrong one, with 401', async () => {
    const error = await openai('wrong-key')
      .embeddings.create({ model: 'gemini-embedding-001', input: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const response = await postEmbeddings({ model: 'gemini-embedding-001', input: 'x' }, null);
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error.code).toBe('missing_api_key');
  });
});

describe('LangChain OpenAIEmbeddings', () => {
  it('embeds documents and a query, each vector the fake’s for its text', async () => {
    const tag = newTag();
    const documents = [`Paris is the capital of France [tag:${tag}]`, 'Berlin is in Germany', 'Rome is old'];
    const embeddings = irisOpenAIEmbeddings();
    expect(await embeddings.embedDocuments(documents)).toEqual(documents.map((d) => fakeEmbedding(d)));
    const query = `Where is Paris? [tag:${tag}]`;
    expect(await embeddings.embedQuery(query)).toEqual(fakeEmbedding(query));
    const calls = await upstreamRequests(tag);
    expect(calls.map((c) => c.method).sort()).toEqual(['batchEmbedContents', 'embedContent']);
  });
});

describe('batching', () => {
  it('sends 250 inputs to Gemini in 3 batches and answers them in order', async () => {
    const tag = newTag();
    const input = Array.from({ length: 250 }, (_, i) => `passage ${i} of the corpus [tag:${tag}]`);
    const response = await postEmbeddings({ model: 'text-embedding-3-small', input, dimensions: 16 });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(validateOpenAI('CreateEmbeddingResponse', body)).toEqual([]);
    expect(body.data.map((d: Wire) => d.index)).toEqual(input.map((_, i) => i));
    expect(body.data.map((d: Wire) => d.embedding)).toEqual(input.map((t) => fakeEmbedding(t, 16)));
    expect(body.usage.prompt_tokens).toBe(words(input));
    const batches = (await upstreamRequests(tag)).filter((r) => r.method === 'batchEmbedContents');
    const sent = batches.map((r) => (r.body as Wire).requests.map((q: Wire) => q.content.parts[0].text));
    expect(sent.map((texts) => texts.length).sort()).toEqual([100, 100, 50]);
    expect(sent.sort((a, b) => input.indexOf(a[0]) - input.indexOf(b[0])).flat()).toEqual(input);
  });

  it('fails the whole request with the mapped error when one batch fails', async () => {
    const input = Array.from({ length: 250 }, (_, i) => (i === 120 ? `item ${i} [fake:429]` : `item ${i}`));
    const response = await postEmbeddings({ model: 'gemini-embedding-001', input, dimensions: 8 });
    expect(response.status).toBe(429);
    const body = await response.json();
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.data).toBeUndefined();
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('deadline and abort', () => {
  it('cancels the Gemini calls when the caller hangs up', async () => {
    const tag = newTag();
    const controller = new AbortController();
    const input = Array.from({ length: 150 }, (_, i) => `slow ${i} [tag:${tag}] [fake:hang]`);
    const pending = fetch(`${irisUrl()}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEYS[0]}` },
      body: JSON.stringify({ model: 'gemini-embedding-001', input }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 300));
    const calls = await upstreamRequests(tag);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.clientAborted)).toBe(true);
  });
});

describe('options and usage', () => {
  it('passes google.task_type and extra_body.google.task_type on as Gemini’s taskType', async () => {
    const tag = newTag();
    await postEmbeddings({
      model: 'gemini-embedding-001',
      input: `q [tag:${tag}]`,
      google: { task_type: 'RETRIEVAL_QUERY' },
    });
    await postEmbeddings({
      model: 'gemini-embedding-001',
      input: [`d1 [tag:${tag}]`, 'd2'],
      extra_body: { google: { task_type: 'RETRIEVAL_DOCUMENT' } },
      user: 'user-1234',
    });
    const calls = await upstreamRequests(tag);
    const taskTypes = calls.flatMap((c) =>
      c.method === 'embedContent'
        ? [(c.body as Wire).taskType]
        : (c.body as Wire).requests.map((r: Wire) => r.taskType),
    );
    expect(taskTypes.sort()).toEqual(['RETRIEVAL_DOCUMENT', 'RETRIEVAL_DOCUMENT', 'RETRIEVAL_QUERY']);
  });

  it('estimates usage, and says so, when Gemini gives no count', async () => {
    const input = ['twelve bytes', 'no count here [fake:no-usage]'];
    const response = await postEmbeddings({ model: 'gemini-embedding-001', input });
    expect(response.headers.get('x-iris-usage-estimated')).toBe('true');
    const body = await response.json();
    // ceil(12 / 4) + ceil(29 / 4)
    expect(body.usage).toEqual({ prompt_tokens: 3 + 8, total_tokens: 3 + 8 });
  });

  it('names the model that served, and says when it was an alias', async () => {
    const response = await postEmbeddings({ model: 'text-embedding-ada-002', input: 'alias' });
    expect(response.headers.get('x-iris-model-substituted')).toBe('text-embedding-ada-002 -> gemini-embedding-001');
    expect((await response.json()).model).toBe('gemini-embedding-001');
    const direct = await postEmbeddings({ model: 'models/gemini-embedding-001', input: 'direct' });
    expect(direct.headers.get('x-iris-model-substituted')).toBeNull();
  });
});

describe('bad input names the param', () => {
  const model = 'text-embedding-3-small';
  it.each([
    ['missing input', { model }, 400, 'input', 'invalid_value'],
    ['empty input', { model, input: '' }, 400, 'input', 'invalid_value'],
    ['an empty array', { model, input: [] }, 400, 'input', 'invalid_value'],
    ['an empty string in the array', { model, input: ['a', ''] }, 400, 'input[1]', 'invalid_value'],
    [
      'more than 2,048 inputs',
      { model, input: Array.from({ length: 2049 }, () => 'x') },
      400,
      'input',
      'invalid_value',
    ],
    ['token ids', { model, input: [[1212, 318, 257]] }, 400, 'input', 'unsupported_parameter'],
    ['dimensions: 0', { model, input: 'a', dimensions: 0 }, 400, 'dimensions', 'invalid_value'],
    [
      'an unknown encoding_format',
      { model, input: 'a', encoding_format: 'int8' },
      400,
      'encoding_format',
      'invalid_value',
    ],
    [
      'an unknown task_type',
      { model, input: 'a', google: { task_type: 'NOPE' } },
      400,
      'google.task_type',
      'invalid_value',
    ],
    ['dimensions Gemini refuses', { model, input: 'a', dimensions: 4000 }, 400, null, 'upstream_invalid_request'],
    ['a chat model', { model: 'gemini-3.8-flash', input: 'a' }, 400, 'model', 'not_an_embedding_model'],
    ['an unknown model', { model: 'gemini-embedding-9000', input: 'a' }, 404, 'model', 'model_not_found'],
    ['no model', { input: 'a' }, 400, 'model', 'invalid_value'],
  ])('refuses %s', async (_, body, status, param, code) => {
    const response = await postEmbeddings(body);
    expect(response.status).toBe(status);
    const answer = await response.json();
    expect(validateOpenAI('ErrorResponse', answer)).toEqual([]);
    expect(answer.error).toMatchObject({ param, code });
  });

  it('never calls Gemini for a refused request', async () => {
    const tag = newTag();
    await postEmbeddings({ model: 'gemini-3.8-flash', input: `chat model [tag:${tag}]` });
    await postEmbeddings({ model: 'gemini-embedding-001', input: [`ok [tag:${tag}]`, ''] });
    expect(await upstreamRequests(tag)).toEqual([]);
  });

  it('answers GET with 405 and an Allow header', async () => {
    const response = await fetch(`${irisUrl()}/v1/embeddings`, {
      headers: { authorization: `Bearer ${GATEWAY_KEYS[0]}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('keys and inputs stay out of logs and responses', () => {
  it('logs neither keys nor inputs, whatever the outcome', async () => {
    const marker = `confidential-passage-${newTag()}`;
    const responses = await Promise.all([
      postEmbeddings({ model: 'gemini-embedding-001', input: [marker, `${marker} [fake:500]`] }),
      postEmbeddings({ model: 'gemini-embedding-001', input: marker }, PASSTHROUGH_GEMINI_KEY),
      postEmbeddings({ model: 'gemini-embedding-001', input: `${marker} [fake:403]` }),
      postEmbeddings({ model: 'gemini-3.8-flash', input: marker }),
      postEmbeddings({ model: 'gemini-embedding-001', input: marker }, 'wrong-key-xyz'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([502, 200, 502, 400, 401]);
    for (const body of await Promise.all(responses.map((r) => r.text()))) {
      for (const secret of [SERVER_GEMINI_KEY, PASSTHROUGH_GEMINI_KEY, ...GATEWAY_KEYS])
        expect(body).not.toContain(secret);
    }
    await new Promise((r) => setTimeout(r, 300));
    const log = readFileSync(inject('serverLogPath'), 'utf8');
    expect(log).toContain('"path":"/v1/embeddings"');
    for (const secret of [SERVER_GEMINI_KEY, PASSTHROUGH_GEMINI_KEY, 'wrong-key-xyz', ...GATEWAY_KEYS, marker]) {
      expect(log).not.toContain(secret);
    }
  });
});
