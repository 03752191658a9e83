import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, startFakeGemini } from '../fake-gemini/server.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { makePng } from '../support/png.ts';
import { postWithoutEnding } from '../support/post-without-ending.ts';
import { type IrisProcess, startIris } from '../support/server-process.ts';

/**
 * The findings of the security review's input part, each with the request that showed it, against an Iris of its
 * own: the default body limits (MAX_REQUEST_BYTES 32 MiB, where a 20-million-character image URL fits), a short
 * BODY_IDLE_TIMEOUT_MS, and a PUBLIC_URL.
 */

const KEY = 'hardening-key-one';
const OTHER_KEY = 'hardening-key-two';
const SERVER_GEMINI_KEY = 'hardening-gemini-key';
const PUBLIC_URL = 'https://iris.example.test';
const IDLE_MS = 1_000;

let fake: FakeGemini;
let iris: IrisProcess;
let dataDir: string;

beforeAll(async () => {
  fake = await startFakeGemini({ apiKeys: [SERVER_GEMINI_KEY] });
  dataDir = mkdtempSync(path.join(tmpdir(), 'iris-hardening-'));
  iris = await startIris({
    API_KEYS: `${KEY},${OTHER_KEY}`,
    GOOGLE_GENERATIVE_AI_API_KEY: SERVER_GEMINI_KEY,
    GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
    IRIS_DATA_DIR: dataDir,
    BODY_IDLE_TIMEOUT_MS: String(IDLE_MS),
    PUBLIC_URL,
    IRIS_QUIET_LOGS: 'true',
  });
  await iris.ready(60_000);
  // The first request to each route loads its code; keep that out of the timings below.
  await Promise.all([
    send('GET', '/v1/models'),
    send('POST', '/v1/chat/completions', { model: 'gemini-3.8-flash', messages: [{ role: 'user', content: 'hi' }] }),
    send('GET', '/api/chats'),
    send('POST', '/api/chat', {}),
  ]);
}, 90_000);

afterAll(async () => {
  await iris?.stop();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const auth = (key = KEY) => ({ authorization: `Bearer ${key}` });
const JSON_TYPE = { 'content-type': 'application/json' };

async function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${iris.url}${url}`, {
    method,
    headers: { ...auth(), ...(body === undefined ? {} : JSON_TYPE), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: { error?: { message: string; param: string | null; code: string | null } } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** The error an answer carries, checked to be OpenAI's envelope. */
function errorOf(answer: Awaited<ReturnType<typeof send>>) {
  expect(answer.json, answer.text.slice(0, 200)).toBeDefined();
  expect(validateOpenAI('ErrorResponse', answer.json)).toEqual([]);
  return { status: answer.status, code: answer.json?.error?.code, param: answer.json?.error?.param };
}

const userTurn = (content: unknown) => ({ model: 'gemini-3.8-flash', messages: [{ role: 'user', content }] });
const imageTurn = (url: string) =>
  userTurn([
    { type: 'text', text: 'what is this?' },
    { type: 'image_url', image_url: { url } },
  ]);
const deep = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const chatMessage = (text: string, id = `m${Math.random().toString(36).slice(2, 10)}`) => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }],
});
const newId = () => `c${Math.random().toString(36).slice(2, 12)}`;

describe('odd-input matrix: each request of the review gets its 4xx with its param, never a 500', () => {
  const toolTurn = (args: string) => ({
    model: 'gemini-3.8-flash',
    messages: [
      { role: 'user', content: 'call it' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'done' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
  });
  const responsesToolTurn = (args: string) => ({
    model: 'gemini-3.8-flash',
    input: [
      { role: 'user', content: 'call it' },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: args },
      { type: 'function_call_output', call_id: 'call_1', output: 'done' },
    ],
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
  });
  const huge = 20_000_000;

  const matrix: [string, () => Promise<Awaited<ReturnType<typeof send>>>, number, string | null, string | null][] = [
    // Lookups by name: `constructor` is no alias and no model.
    ['GET /v1/models/constructor', () => send('GET', '/v1/models/constructor'), 404, 'model_not_found', 'model'],
    [
      'chat completion for model constructor',
      () => send('POST', '/v1/chat/completions', { ...userTurn('hi'), model: 'constructor' }),
      404,
      'model_not_found',
      'model',
    ],
    [
      'embeddings for model constructor',
      () => send('POST', '/v1/embeddings', { model: 'constructor', input: 'hi' }),
      404,
      'model_not_found',
      'model',
    ],
    [
      'chat completion for model __proto__',
      () => send('POST', '/v1/chat/completions', { ...userTurn('hi'), model: '__proto__' }),
      400,
      'invalid_value',
      'model',
    ],
    // Ids are decoded once; a malformed encoding is a 400.
    ['GET /v1/models/%25', () => send('GET', '/v1/models/%25'), 404, 'model_not_found', 'model'],
    ['GET /v1/models/%', () => send('GET', '/v1/models/%'), 400, 'invalid_id', 'id'],
    ['GET /api/files/%', () => send('GET', '/api/files/%'), 400, 'invalid_id', 'id'],
    ['DELETE /api/files/%ff', () => send('DELETE', '/api/files/%ff'), 400, 'invalid_id', 'id'],
    ['GET /api/chats/%ff%fe', () => send('GET', '/api/chats/%ff%fe'), 400, 'invalid_id', 'id'],
    ['GET /v1/responses/%zz', () => send('GET', '/v1/responses/%zz'), 400, 'invalid_id', 'id'],
    ['GET /v1/%E0%A4%A', () => send('GET', '/v1/%E0%A4%A'), 400, 'invalid_id', 'id'],
    ['GET /c/%ff (a chat page)', () => send('GET', '/c/%ff'), 400, 'invalid_id', 'id'],
    // NULs never reach Postgres.
    ['a NUL in a new chat’s title', () => send('POST', '/api/chats', { title: 'a\u0000b' }), 400, null, 'title'],
    [
      'a NUL in a system prompt',
      () => send('POST', '/api/chats', { settings: { systemPrompt: 'be\u0000brief' } }),
      400,
      null,
      'settings.systemPrompt',
    ],
    [
      'a NUL in a message',
      () => send('POST', '/api/chat', { id: newId(), message: chatMessage('h\u0000i') }),
      400,
      null,
      'message.parts[0].text',
    ],
    ['a NUL in a search', () => send('GET', '/api/chats?q=a%00b'), 400, 'invalid_query', 'q'],
    [
      'a NUL in a stored response’s input',
      () => send('POST', '/v1/responses', { model: 'gemini-3.8-flash', input: 'h\u0000i' }),
      400,
      'invalid_value',
      'input',
    ],
    [
      'a NUL in a stored response’s instructions',
      () => send('POST', '/v1/responses', { model: 'gemini-3.8-flash', instructions: 'a\u0000b', input: 'hi' }),
      400,
      'invalid_value',
      'instructions',
    ],
    // 20 million characters of image_url: looked at linearly, in every shape.
    [
      'a 20M-character bare base64 image_url',
      () => send('POST', '/v1/chat/completions', imageTurn(`${'A'.repeat(huge)}!`)),
      400,
      'invalid_image_url',
      'messages[0].content[1].image_url.url',
    ],
    [
      'a 20M-character image_url that looks like a scheme',
      () => send('POST', '/v1/chat/completions', imageTurn('a'.repeat(huge))),
      400,
      'invalid_image_url',
      'messages[0].content[1].image_url.url',
    ],
    [
      'a 20M-character data URL without a comma',
      () => send('POST', '/v1/chat/completions', imageTurn(`data:${'a'.repeat(huge)}`)),
      400,
      'invalid_image_url',
      'messages[0].content[1].image_url.url',
    ],
    [
      'a 20M-character data URL of bad base64',
      () => send('POST', '/v1/chat/completions', imageTurn(`data:image/png;base64,${'A'.repeat(huge)}%`)),
      400,
      'invalid_base64',
      'messages[0].content[1].image_url.url',
    ],
    // Depth limits, as schemas have them.
    [
      'tool-call arguments nested 5,000 deep',
      () => send('POST', '/v1/chat/completions', toolTurn(deep(5_000))),
      400,
      'json_too_complex',
      'messages[1].tool_calls[0].function.arguments',
    ],
    [
      'function_call arguments nested 5,000 deep (Responses)',
      () => send('POST', '/v1/responses', responsesToolTurn(deep(5_000))),
      400,
      'json_too_complex',
      'input[1].arguments',
    ],
    [
      'a body nested 5,000 deep',
      () => send('POST', '/v1/chat/completions', deep(5_000)),
      400,
      'json_too_complex',
      null,
    ],
  ];

  it.each(matrix)('%s', async (_, request, status, code, param) => {
    const error = errorOf(await request());
    expect(error).toEqual({ status, code, param });
  });

  it('keeps working after the matrix: a plain request still answers', async () => {
    expect((await send('POST', '/v1/chat/completions', userTurn('still there?'))).status).toBe(200);
  });
});

/** POSTs a prepared body over one connection in 64 KB writes, as a real client sends it; no string work on the way. */
function postBytes(url: string, body: Buffer, headers: Record<string, string>, withLength: boolean) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const request = http.request(`${iris.url}${url}`, {
      method: 'POST',
      headers: { ...headers, ...(withLength ? { 'content-length': String(body.byteLength) } : {}) },
    });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: text, ms: performance.now() - started });
        request.destroy();
      });
    });
    // The server refuses early and closes the connection with the rest unread: writes after that fail, by design.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    let offset = 0;
    const write = () => {
      while (offset < body.byteLength && !answered) {
        const more = request.write(body.subarray(offset, offset + 65_536));
        offset += 65_536;
        if (!more) {
          request.once('drain', write);
          return;
        }
      }
      request.end();
    };
    write();
  });
}

/** One small request, on a new connection: a kept-alive one could be closed under it while the big body runs. */
function timed(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(`${iris.url}/v1/models`, { headers: auth(), agent: false }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) resolve(performance.now() - started);
        else reject(new Error(`GET /v1/models answered ${response.statusCode}`));
      });
    });
    request.on('error', reject);
  });
}

/** How much slower a small request gets while `big` is under way, against its median time before. */
async function addedLatency(big: () => Promise<unknown>): Promise<number> {
  const before: number[] = [];
  for (let i = 0; i < 9; i++) before.push(await timed());
  before.sort((a, b) => a - b);
  const baseline = before[4] as number;
  let done = false;
  const during: number[] = [];
  const running = big().finally(() => {
    done = true;
  });
  // At least a few samples while the big body is read, parsed and refused, and until it is.
  while (!done || during.length < 5) during.push(await timed());
  await running;
  return Math.max(...during) - baseline;
}

describe('bounded work: one big body does not stall the others', () => {
  it('refuses a 31 MB /v1 body of millions of unknown keys quickly, while another request stays fast', async () => {
    const keys: string[] = [];
    for (let i = 0; keys.length * 12 < 31_000_000; i++) keys.push(`"k${i}":1`);
    const body = Buffer.from(
      `{"model":"gemini-3.8-flash","messages":[{"role":"user","content":"hi"}],${keys.join(',')}}`,
    );
    let answer: { status: number; body: string; ms: number } | undefined;
    const added = await addedLatency(async () => {
      answer = await postBytes('/v1/chat/completions', body, { ...auth(), ...JSON_TYPE }, true);
    });
    expect(answer?.status).toBe(400);
    expect(JSON.parse(answer?.body ?? '{}').error.code).toBe('json_too_complex');
    expect(answer?.ms).toBeLessThan(3_000);
    expect(added).toBeLessThan(750);
  });

  it('refuses a 30 MB chat message while it arrives (no Content-Length), while another request stays fast', async () => {
    const body = Buffer.from(JSON.stringify({ id: newId(), message: chatMessage('a'.repeat(30_000_000)) }));
    let answer: { status: number; body: string; ms: number } | undefined;
    const added = await addedLatency(async () => {
      answer = await postBytes('/api/chat', body, { ...auth(), ...JSON_TYPE }, false);
    });
    expect(answer?.status).toBe(400);
    expect(JSON.parse(answer?.body ?? '{}').error).toMatchObject({ code: 'message_too_long', param: 'message' });
    expect(answer?.ms).toBeLessThan(3_000);
    expect(added).toBeLessThan(750);
  });

  it('refuses a chat body over its own limit by Content-Length, before reading it', async () => {
    const answer = await postWithoutEnding(`${iris.url}/api/chat`, {
      headers: { ...auth(), ...JSON_TYPE, 'content-length': String(30_000_000) },
      bytes: new Uint8Array(0),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toContain('CHAT_MAX_MESSAGE_CHARS');
  });

  it('gives up on a JSON body that stops arriving, with a 408 after BODY_IDLE_TIMEOUT_MS', async () => {
    const started = performance.now();
    const answer = await postWithoutEnding(`${iris.url}/v1/chat/completions`, {
      headers: { ...auth(), ...JSON_TYPE },
      bytes: new TextEncoder().encode('{"model":"gemini-3.8-flash","messages":['),
    });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error.code).toBe('request_timeout');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(waited).toBeLessThan(IDLE_MS + 4_000);
  });

  it('gives up on an upload that stops arriving, with a 408', async () => {
    const answer = await postWithoutEnding(`${iris.url}/api/files`, {
      headers: { ...auth(), 'content-type': 'image/png' },
      bytes: makePng(8, 8).subarray(0, 20),
    });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error.code).toBe('request_timeout');
  });
});

describe('JSON routes take only application/json', () => {
  it('answers curl -d (a form body) on /v1 with a 415 that says which header to add', async () => {
    const answer = await send('POST', '/v1/chat/completions', JSON.stringify(userTurn('hi')), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(errorOf(answer)).toEqual({ status: 415, code: 'unsupported_media_type', param: null });
    expect(answer.json?.error?.message).toContain("-H 'Content-Type: application/json'");
  });

  it.each([
    ['/v1/embeddings', { model: 'gemini-embedding-001', input: 'hi' }],
    ['/v1/responses', { model: 'gemini-3.8-flash', input: 'hi' }],
    ['/api/chat', { id: 'c415', message: chatMessage('hi') }],
    ['/api/chats', { title: 'text/plain' }],
    ['/api/auth/sign-in', { key: KEY }],
  ])('refuses text/plain on %s, as a page on another site could send it', async (url, body) => {
    const answer = await send('POST', url, JSON.stringify(body), {
      'content-type': 'text/plain;charset=UTF-8',
      origin: iris.url,
    });
    expect(errorOf(answer)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('refuses a body without any Content-Type, and a PATCH of a chat with a form body', async () => {
    const response = await fetch(`${iris.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: new Blob([JSON.stringify(userTurn('hi'))]),
    });
    expect(response.status).toBe(415);
    const created = await send('POST', '/api/chats', { title: 'to patch' });
    const id = (created.json as unknown as { id: string }).id;
    const patch = await send('PATCH', `/api/chats/${id}`, 'title=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(errorOf(patch)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });
});

describe('a refused first message creates nothing', () => {
  it.each([
    [
      'too many parts for the store',
      () => ({ ...chatMessage('x'), parts: Array(1001).fill({ type: 'text', text: 'x' }) }),
    ],
    ['a NUL in its text', () => chatMessage('nul\u0000here')],
    [
      'more text than CHAT_MAX_MESSAGE_CHARS, in many parts',
      () => ({
        ...chatMessage('x'),
        parts: Array(5).fill({ type: 'text', text: 'y'.repeat(60_000) }),
      }),
    ],
  ])('leaves no chat behind when the first message has %s', async (_, message) => {
    const id = newId();
    const answer = await send('POST', '/api/chat', { id, message: message() });
    expect(answer.status).toBe(400);
    expect((await send('GET', `/api/chats/${id}`)).status).toBe(404);
  });

  it('leaves no chat behind when the first message reuses a message id (409)', async () => {
    const taken = `m${Math.random().toString(36).slice(2, 10)}`;
    const first = await fetch(`${iris.url}/api/chat`, {
      method: 'POST',
      headers: { ...auth(), ...JSON_TYPE },
      body: JSON.stringify({ id: newId(), message: chatMessage('the first', taken) }),
    });
    expect(first.status).toBe(200);
    await first.text();
    const id = newId();
    const again = await send('POST', '/api/chat', { id, message: chatMessage('reusing its id', taken) });
    expect(errorOf(again)).toMatchObject({ status: 409, code: 'message_exists' });
    expect((await send('GET', `/api/chats/${id}`)).status).toBe(404);
    const list = (await send('GET', '/api/chats')).json as unknown as { chats: { id: string }[] };
    expect(list.chats.map((chat) => chat.id)).not.toContain(id);
  });
});

describe('DELETE /api/files/{id}', () => {
  async function upload(key = KEY) {
    const response = await fetch(`${iris.url}/api/files`, {
      method: 'POST',
      headers: { ...auth(key), 'content-type': 'image/png' },
      body: new Uint8Array(makePng(16, 16, Math.floor(Math.random() * 1e6))),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; url: string };
  }

  it('deletes an unused upload for its owner only, and then it is gone', async () => {
    const file = await upload();
    expect(errorOf(await send('DELETE', file.url, undefined, auth(OTHER_KEY)))).toEqual({
      status: 404,
      code: 'file_not_found',
      param: 'id',
    });
    expect((await send('GET', file.url)).status).toBe(200);
    const deleted = await send('DELETE', file.url);
    expect(deleted.status).toBe(204);
    expect((await send('GET', file.url)).status).toBe(404);
    expect(errorOf(await send('DELETE', file.url))).toMatchObject({ status: 404, code: 'file_not_found' });
  });

  it('keeps an image a message shows: 409 file_in_use', async () => {
    const file = await upload();
    const sent = await fetch(`${iris.url}/api/chat`, {
      method: 'POST',
      headers: { ...auth(), ...JSON_TYPE },
      body: JSON.stringify({
        id: newId(),
        message: {
          id: `m${Math.random().toString(36).slice(2, 10)}`,
          role: 'user',
          parts: [
            { type: 'file', mediaType: 'image/png', url: file.url },
            { type: 'text', text: 'what is it?' },
          ],
        },
      }),
    });
    expect(sent.status).toBe(200);
    await sent.text();
    expect(errorOf(await send('DELETE', file.url))).toEqual({ status: 409, code: 'file_in_use', param: 'id' });
    expect((await send('GET', file.url)).status).toBe(200);
  });
});

describe('/connect', () => {
  it('builds its code samples from PUBLIC_URL, not from the Host header', async () => {
    const page = await new Promise<string>((resolve, reject) => {
      // fetch will not send a forged Host; node:http will.
      const request = http.get(`${iris.url}/connect`, { headers: { host: 'attacker.example' } }, (response) => {
        let html = '';
        response.on('data', (chunk) => {
          html += chunk;
        });
        response.on('end', () => resolve(html));
      });
      request.on('error', reject);
    });
    expect(page).toContain(`${PUBLIC_URL}/v1`);
    expect(page).not.toContain('attacker.example');
  });
});
