import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, type RecordedRequest, startFakeGemini } from '../fake-gemini/server.ts';
import { jsonEvents, newTag, parseSse } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { type IrisProcess, startIris } from '../support/server-process.ts';

/**
 * Which model serves a request, over HTTP against a fake Gemini whose list is like late 2026's. This file runs its
 * own Iris and fake: it retires models and makes Iris remember refusals, which no other test file may see.
 */

const GATEWAY_KEY = 'resolution-gateway-key';
// The server's key is a new one: Gemini refuses it gemini-2.5-pro ("no longer available to new users").
const SERVER_KEY = 'resolution-new-gemini-key';
// A caller's own key from before the deprecations, which Gemini still serves gemini-2.5-pro.
const LEGACY_KEY = 'AIzaSyFAKE-legacy-key-0123456789abcdefg';

let fake: FakeGemini;
let iris: IrisProcess;
let dataDir: string;

beforeAll(async () => {
  fake = await startFakeGemini({ apiKeys: [SERVER_KEY], legacyApiKeys: [LEGACY_KEY] });
  dataDir = mkdtempSync(path.join(tmpdir(), 'iris-models-'));
  iris = await startIris({
    API_KEYS: GATEWAY_KEY,
    GOOGLE_GENERATIVE_AI_API_KEY: SERVER_KEY,
    GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
    GEMINI_KEY_PASSTHROUGH: 'true',
    MODEL_ALIASES: 'house-model=gemini-3.5-flash-lite',
    // Long enough that a model retired during a test is still in Iris's cached list: Gemini's 404 must be handled.
    MODELS_CACHE_TTL_MS: '600000',
    IRIS_DATA_DIR: dataDir,
  });
  await iris.ready(60_000);
}, 90_000);

afterAll(async () => {
  await iris?.stop();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const client = (apiKey = GATEWAY_KEY) => new OpenAI({ baseURL: `${iris.url}/v1`, apiKey, maxRetries: 0 });
const auth = (key = GATEWAY_KEY) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

/** The upstream calls made for one request, by the tag in its prompt. */
const callsFor = (tag: string): RecordedRequest[] => fake.requests.filter((r) => r.tag === tag);
const modelsCalled = (tag: string) => callsFor(tag).map((r) => r.model);

async function retire(...models: string[]) {
  const response = await fetch(`${fake.origin}/__fake/config`, {
    method: 'POST',
    body: JSON.stringify({ retiredModels: models }),
  });
  expect(response.status).toBe(200);
}

async function complete(model: string, extra: object = {}, key?: string) {
  const tag = newTag();
  const response = await fetch(`${iris.url}/v1/chat/completions`, {
    method: 'POST',
    headers: auth(key),
    body: JSON.stringify({ model, messages: [{ role: 'user', content: `which model? [tag:${tag}]` }], ...extra }),
  });
  return { tag, response, body: await response.json() };
}

async function stream(model: string) {
  const tag = newTag();
  const response = await fetch(`${iris.url}/v1/chat/completions`, {
    method: 'POST',
    headers: auth(),
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: `stream [tag:${tag}]` }] }),
  });
  const text = await response.text();
  const chunks = response.ok ? (jsonEvents(parseSse(text)) as { model: string }[]) : [];
  return { tag, response, chunks, text };
}

describe('pass-through', () => {
  it('calls a listed model exactly as asked and answers with its id, streamed and not', async () => {
    const { tag, response, body } = await complete('gemini-2.5-flash');
    expect(response.status).toBe(200);
    expect(body.model).toBe('gemini-2.5-flash');
    expect(response.headers.get('x-iris-model-substituted')).toBeNull();
    expect(modelsCalled(tag)).toEqual(['gemini-2.5-flash']);
    expect(validateOpenAI('CreateChatCompletionResponse', body)).toEqual([]);

    const streamed = await stream('models/gemini-3.6-flash');
    expect(streamed.response.headers.get('x-iris-model-substituted')).toBeNull();
    expect(new Set(streamed.chunks.map((c) => c.model))).toEqual(new Set(['gemini-3.6-flash']));
    expect(modelsCalled(streamed.tag)).toEqual(['gemini-3.6-flash']);
  });

  it('keeps serving a deprecated model to a key Gemini still serves it to', async () => {
    const { tag, response, body } = await complete('gemini-2.5-pro', {}, LEGACY_KEY);
    expect(response.status).toBe(200);
    expect(body.model).toBe('gemini-2.5-pro');
    expect(modelsCalled(tag)).toEqual(['gemini-2.5-pro']);
  });
});

describe('retired ids', () => {
  it('serves ids Gemini no longer lists by the newest listed model of their tier, without a failed attempt', async () => {
    for (const [asked, served] of [
      ['gemini-1.5-pro-latest', 'gemini-3.1-pro-preview'],
      ['gemini-2.0-flash', 'gemini-3.8-flash'],
      ['gemini-2.0-flash-lite', 'gemini-3.5-flash-lite'],
    ] as const) {
      const { tag, response, body } = await complete(asked);
      expect(response.status).toBe(200);
      expect(body.model).toBe(served);
      expect(response.headers.get('x-iris-model-substituted')).toBe(`${asked} -> ${served}`);
      expect(modelsCalled(tag)).toEqual([served]);
    }
    const streamed = await stream('gemini-1.5-pro-latest');
    expect(streamed.response.headers.get('x-iris-model-substituted')).toBe(
      'gemini-1.5-pro-latest -> gemini-3.1-pro-preview',
    );
    expect(new Set(streamed.chunks.map((c) => c.model))).toEqual(new Set(['gemini-3.1-pro-preview']));
  });

  it('on "no longer available to new users", replaces the model in one failed attempt and remembers it for the key', async () => {
    const first = await complete('gemini-2.5-pro');
    expect(first.response.status).toBe(200);
    expect(first.body.model).toBe('gemini-3.1-pro-preview');
    expect(first.response.headers.get('x-iris-model-substituted')).toBe('gemini-2.5-pro -> gemini-3.1-pro-preview');
    expect(modelsCalled(first.tag)).toEqual(['gemini-2.5-pro', 'gemini-3.1-pro-preview']);

    const again = await complete('gemini-2.5-pro');
    expect(again.body.model).toBe('gemini-3.1-pro-preview');
    expect(modelsCalled(again.tag)).toEqual(['gemini-3.1-pro-preview']);
    // Another key is another account: Gemini may still serve it there.
    const legacy = await complete('gemini-2.5-pro', {}, LEGACY_KEY);
    expect(modelsCalled(legacy.tag)).toEqual(['gemini-2.5-pro']);
  });

  it('streams from the replacement when Gemini retires a model it still listed a moment ago', async () => {
    await retire('gemini-3-flash-preview');
    const streamed = await stream('gemini-3-flash-preview');
    expect(streamed.response.status).toBe(200);
    expect(streamed.response.headers.get('x-iris-model-substituted')).toBe(
      'gemini-3-flash-preview -> gemini-3.8-flash',
    );
    expect(streamed.chunks.length).toBeGreaterThan(1);
    expect(new Set(streamed.chunks.map((c) => c.model))).toEqual(new Set(['gemini-3.8-flash']));
    for (const chunk of streamed.chunks)
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(modelsCalled(streamed.tag)).toEqual(['gemini-3-flash-preview', 'gemini-3.8-flash']);

    const again = await stream('gemini-3-flash-preview');
    expect(modelsCalled(again.tag)).toEqual(['gemini-3.8-flash']);
  });

  it('follows the operator’s alias first, and names the substitution', async () => {
    const { tag, response, body } = await complete('house-model');
    expect(body.model).toBe('gemini-3.5-flash-lite');
    expect(response.headers.get('x-iris-model-substituted')).toBe('house-model -> gemini-3.5-flash-lite');
    expect(modelsCalled(tag)).toEqual(['gemini-3.5-flash-lite']);
  });

  it('logs one line naming the substitution, and not the prompt', async () => {
    const { tag } = await complete('gemini-1.5-pro-latest');
    await expect.poll(() => iris.output()).toContain('"substituted":"gemini-1.5-pro-latest -> gemini-3.1-pro-preview"');
    expect(iris.output()).not.toContain(tag);
  });
});

describe('unknown ids', () => {
  it.each(['gemini-9-ultra-nonexistent', 'gpt-4o'])(
    'answers 404 model_not_found for %s, never a substitute',
    async (model) => {
      for (const extra of [{}, { stream: true }]) {
        const { tag, response, body } = await complete(model, extra);
        expect(response.status).toBe(404);
        expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
        expect(body.error).toMatchObject({ code: 'model_not_found', param: 'model', type: 'invalid_request_error' });
        expect(body.error.message).toContain(model);
        expect(callsFor(tag)).toEqual([]);
      }
      const error = await client()
        .chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
    },
  );
});

describe('capabilities from metadata', () => {
  it('refuses max_tokens above the serving model’s outputTokenLimit, naming the param', async () => {
    for (const param of ['max_tokens', 'max_completion_tokens']) {
      const { tag, response, body } = await complete('gemma-3-27b-it', { [param]: 8193 });
      expect(response.status).toBe(400);
      expect(body.error).toMatchObject({ param, code: 'unsupported_parameter' });
      expect(body.error.message).toContain('8192');
      expect(callsFor(tag)).toEqual([]);
    }
    expect((await complete('gemma-3-27b-it', { max_tokens: 8192 })).response.status).toBe(200);
  });

  it('refuses a temperature above maxTemperature, and reasoning on a model that does not think', async () => {
    const hot = await complete('gemma-3-27b-it', { temperature: 1.5 });
    expect(hot.response.status).toBe(400);
    expect(hot.body.error).toMatchObject({ param: 'temperature', code: 'unsupported_parameter' });
    const thinking = await complete('gemma-3-27b-it', { reasoning_effort: 'low', stream: true });
    expect(thinking.response.status).toBe(400);
    expect(thinking.body.error).toMatchObject({ param: 'reasoning_effort', code: 'unsupported_parameter' });
    const none = await complete('gemma-3-27b-it', { reasoning_effort: 'none' });
    expect(none.response.status).toBe(200);
  });
});

describe('GET /v1/models', () => {
  it('lists what Gemini lists that can chat or embed', async () => {
    const page = await client().models.list();
    const ids = page.data.map((m) => m.id);
    for (const id of [
      'gemini-3.8-flash',
      'gemini-3.6-flash',
      'gemini-3.5-flash-lite',
      'gemini-2.5-flash',
      'gemma-3-27b-it',
    ])
      expect(ids).toContain(id);
    expect(ids).toContain('gemini-embedding-001');
    expect(ids).not.toContain('gemini-2.0-flash');
  });

  it('retrieves a listed id by its own name, a retired one by its replacement, and 404s the unknown', async () => {
    const listed = await client().models.retrieve('gemini-2.5-flash');
    expect(listed.id).toBe('gemini-2.5-flash');
    expect(validateOpenAI('Model', listed)).toEqual([]);

    const retired = await fetch(`${iris.url}/v1/models/gemini-1.5-pro-latest`, { headers: auth() });
    expect(retired.status).toBe(200);
    expect((await retired.json()).id).toBe('gemini-3.1-pro-preview');
    expect(retired.headers.get('x-iris-model-substituted')).toBe('gemini-1.5-pro-latest -> gemini-3.1-pro-preview');

    for (const id of ['gemini-9-ultra-nonexistent', 'gpt-4o']) {
      const unknown = await fetch(`${iris.url}/v1/models/${id}`, { headers: auth() });
      expect(unknown.status).toBe(404);
      const body = await unknown.json();
      expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
      expect(body.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    }
  });
});

describe('the chat', () => {
  async function newChat(body: object = {}) {
    const response = await fetch(`${iris.url}/api/chats`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; model: string };
  }

  async function ask(chatId: string, text: string) {
    const response = await fetch(`${iris.url}/api/chat`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({
        id: chatId,
        message: { id: `m${Math.random().toString(36).slice(2, 10)}`, role: 'user', parts: [{ type: 'text', text }] },
      }),
    });
    expect(response.status).toBe(200);
    const chunks = jsonEvents(parseSse(await response.text())) as {
      type: string;
      messageMetadata?: { notice?: string; servedModel?: string };
      delta?: string;
    }[];
    const notices = chunks.flatMap((c) => (c.messageMetadata?.notice ? [c.messageMetadata.notice] : []));
    const served = chunks.flatMap((c) => (c.messageMetadata?.servedModel ? [c.messageMetadata.servedModel] : []));
    const text_ = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
    return { chunks, notices, served, text: text_ };
  }

  it('starts new chats on the newest flash Gemini lists, and offers only listed models', async () => {
    const chat = await newChat();
    expect(chat.model).toBe('gemini-3.8-flash');
    const picker = await (await fetch(`${iris.url}/api/models`, { headers: auth() })).json();
    expect(picker.defaultModel).toBe('gemini-3.8-flash');
    const offered = picker.models.map((m: { id: string }) => m.id);
    expect(offered).toContain('gemini-3.6-flash');
    expect(offered).not.toContain('gemini-2.0-flash');
    expect(offered).not.toContain('gemini-embedding-001');
    expect(offered).not.toContain('gemini-2.5-flash-preview-tts');
  });

  it('continues a saved chat whose model was retired on the replacement, and says so once', async () => {
    const chat = await newChat({ model: 'gemini-3.6-flash' });
    const before = await ask(chat.id, 'first question');
    expect(before.notices).toEqual([]);

    await retire('gemini-3-flash-preview', 'gemini-3.6-flash');
    const tag = newTag();
    const after = await ask(chat.id, `second question [tag:${tag}]`);
    expect(after.notices).toEqual(['gemini-3.6-flash is retired; answering with gemini-3.8-flash']);
    expect(after.served).toEqual(['gemini-3.8-flash']);
    expect(after.text.length).toBeGreaterThan(0);
    expect(modelsCalled(tag)).toEqual(['gemini-3.6-flash', 'gemini-3.8-flash']);

    const saved = await (await fetch(`${iris.url}/api/chats/${chat.id}`, { headers: auth() })).json();
    expect(saved.model).toBe('gemini-3.8-flash');
    const answers = saved.messages.filter((m: { role: string }) => m.role === 'assistant');
    expect(answers.map((m: { metadata: { notice?: string } }) => m.metadata.notice ?? null)).toEqual([
      null,
      'gemini-3.6-flash is retired; answering with gemini-3.8-flash',
    ]);

    const third = await ask(chat.id, 'third question');
    expect(third.notices).toEqual([]);
  });
});
