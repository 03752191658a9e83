import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDirectives } from './directives.ts';
import { type EmbedMethod, embedTag, serveEmbed } from './embeddings.ts';
import { apiKeyInvalid, errorForStatus, googleError, modelNotFound, noLongerAvailable } from './errors.ts';
import { type Exchange, openExchange } from './exchange.ts';
import { recordFunctionCalling, validateFunctionCalling } from './function-calls.ts';
import { inspect, validate } from './inspect.ts';
import { validateResponseJsonSchema } from './json-and-thoughts.ts';
import { findModel, listedModels, listModelsPage, RETIRED_FOR_NEW_KEYS } from './models.ts';
import { newResponseId } from './reply.ts';
import { serveGenerate } from './respond.ts';
import type { FakeConfig, FakeGemini, FakeGeminiOptions, RecordedMethod, RecordedRequest } from './types.ts';

/**
 * A fake Gemini REST API (generativelanguage.googleapis.com/v1beta) on 127.0.0.1 for tests and the offline demo.
 * It speaks the wire format of the recordings in tests/fixtures/gemini-wire/, answers with a description of what
 * arrived, and plays failure scenarios named by `[fake:…]` directives in the prompt (see directives.ts).
 */

export type { FakeGemini, FakeGeminiOptions, RecordedImage, RecordedRequest } from './types.ts';

export const DEFAULT_API_KEYS: readonly string[] = ['fake-gemini-key'];

const GENERATE_ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const EMBED_ROUTE = /^\/v1beta\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;
const LIST_ROUTE = '/v1beta/models';

type Route = { method: RecordedMethod; model: string | null };

function routeOf(httpMethod: string | undefined, pathname: string): Route | null {
  if (httpMethod === 'GET' && pathname === LIST_ROUTE) return { method: 'listModels', model: null };
  const match = httpMethod === 'POST' ? (GENERATE_ROUTE.exec(pathname) ?? EMBED_ROUTE.exec(pathname)) : null;
  if (!match?.[1] || !match[2]) return null;
  return { method: match[2] as RecordedMethod, model: decodeURIComponent(match[1]) };
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return null; // the client went away mid-upload; the exchange's close handler records that
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const host = options.host ?? '127.0.0.1';
  const legacyApiKeys = new Set(options.legacyApiKeys ?? []);
  const apiKeys = new Set([...(options.apiKeys ?? DEFAULT_API_KEYS), ...legacyApiKeys]);
  const requests: RecordedRequest[] = [];
  const config: FakeConfig = { modelsListStatus: null, retiredModels: [] };
  const inflight = new Set<AbortController>();
  let nextId = 1;

  const authorized = (record: RecordedRequest) => record.apiKey !== null && apiKeys.has(record.apiKey);

  async function serveList(ex: Exchange, url: URL): Promise<void> {
    if (!authorized(ex.record)) return ex.sendJson(400, apiKeyInvalid());
    const failWith = config.modelsListStatus;
    if (failWith !== null) return ex.sendJson(failWith, errorForStatus(failWith));
    const page = listModelsPage(
      listedModels(config.retiredModels),
      url.searchParams.get('pageSize'),
      url.searchParams.get('pageToken'),
    );
    ex.sendJson(page.ok ? 200 : page.status, page.body);
  }

  async function serveModelCall(ex: Exchange, url: URL, raw: string): Promise<void> {
    const { record } = ex;
    const model = record.model ?? '';
    const parsed = raw === '' ? { ok: false as const } : parseJson(raw);
    record.body = parsed.ok ? parsed.value : raw === '' ? null : raw;
    const inspection = inspect(record.body);
    record.images = inspection.images;
    record.fileUris = inspection.fileUris;
    record.tag = inspection.tag;
    record.functionCalling = recordFunctionCalling(record.body);

    if (!authorized(record)) return ex.sendJson(400, apiKeyInvalid());
    // As Gemini does: only listed ids answer, and a deprecated one only to keys that used it before.
    const known = findModel(model, config.retiredModels);
    if (!known?.supportedGenerationMethods.includes('generateContent')) {
      return ex.sendJson(404, modelNotFound(model, 'generateContent'));
    }
    if (RETIRED_FOR_NEW_KEYS.has(model) && !legacyApiKeys.has(record.apiKey ?? '')) {
      return ex.sendJson(404, noLongerAvailable(model));
    }
    if (!parsed.ok) return ex.sendJson(400, googleError(400, 'Invalid JSON payload received. Unexpected token.'));
    const invalid =
      validate(record.body) ?? validateResponseJsonSchema(record.body) ?? validateFunctionCalling(record.body, model);
    if (invalid !== null) return ex.sendJson(400, googleError(400, invalid));
    const stream = record.method === 'streamGenerateContent';
    if (stream && url.searchParams.get('alt') !== 'sse') {
      return ex.sendJson(400, googleError(400, 'Fake Gemini: only alt=sse streaming is implemented.'));
    }
    const directives = parseDirectives(inspection.lastUserText);
    if (!directives.ok) return ex.sendJson(400, googleError(400, directives.message));
    await serveGenerate(ex, { model, inspection, scenario: directives.scenario, responseId: newResponseId() }, stream);
  }

  async function serveEmbedCall(ex: Exchange, method: EmbedMethod, raw: string): Promise<void> {
    const { record } = ex;
    const model = record.model ?? '';
    const parsed = raw === '' ? { ok: false as const } : parseJson(raw);
    record.body = parsed.ok ? parsed.value : raw === '' ? null : raw;
    record.tag = embedTag(record.body);

    if (!authorized(record)) return ex.sendJson(400, apiKeyInvalid());
    if (!findModel(model, config.retiredModels)?.supportedGenerationMethods.includes('embedContent')) {
      return ex.sendJson(404, modelNotFound(model, method));
    }
    if (!parsed.ok) return ex.sendJson(400, googleError(400, 'Invalid JSON payload received. Unexpected token.'));
    await serveEmbed(ex, method, model, record.body);
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    if (url.pathname === '/__fake/requests' && req.method === 'GET') {
      const tag = url.searchParams.get('tag');
      return sendJson(res, 200, tag === null ? requests : requests.filter((r) => r.tag === tag));
    }
    if (url.pathname === '/__fake/requests' && req.method === 'DELETE') {
      const cleared = requests.length;
      requests.length = 0;
      return sendJson(res, 200, { cleared });
    }
    if (url.pathname === '/__fake/config' && req.method === 'GET') return sendJson(res, 200, config);
    if (url.pathname === '/__fake/config' && req.method === 'POST') {
      const parsed = parseJson(raw ?? '');
      const update = parsed.ok ? (parsed.value as Partial<FakeConfig> | null) : null;
      const status = update?.modelsListStatus;
      const retired = update?.retiredModels;
      const valid =
        (status === undefined || status === null || (Number.isInteger(status) && status >= 400 && status < 600)) &&
        (retired === undefined || (Array.isArray(retired) && retired.every((id) => typeof id === 'string')));
      if (typeof update !== 'object' || update === null || !valid) {
        return sendJson(res, 400, {
          error: 'expected {"modelsListStatus"?: 400-599 | null, "retiredModels"?: string[]}',
        });
      }
      if (status !== undefined) config.modelsListStatus = status;
      if (retired !== undefined) config.retiredModels = [...retired];
      return sendJson(res, 200, config);
    }
    sendJson(res, 404, { error: `no fake control endpoint ${req.method} ${url.pathname}` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-gemini');
    if (url.pathname.startsWith('/__fake/')) return control(req, res, url);
    const route = routeOf(req.method, url.pathname);
    if (route === null) {
      await readBody(req);
      return sendJson(res, 404, googleError(404, `Fake Gemini has no route for ${req.method} ${url.pathname}.`));
    }
    const record: RecordedRequest = {
      id: nextId++,
      method: route.method,
      model: route.model,
      apiKey: headerValue(req, 'x-goog-api-key'),
      body: null,
      images: [],
      fileUris: [],
      tag: null,
      receivedAt: Date.now(),
      finishedAt: null,
      closedAt: null,
      clientAborted: false,
      chunkSentAt: [],
      functionCalling: null,
    };
    requests.push(record);
    const ex = openExchange(res, record, inflight);
    const raw = await readBody(req);
    if (raw === null) return;
    if (route.method === 'listModels') return serveList(ex, url);
    if (route.method === 'embedContent' || route.method === 'batchEmbedContents') {
      return serveEmbedCall(ex, route.method, raw);
    }
    return serveModelCall(ex, url, raw);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the test visibly rather than hang it.
      console.error('fake-gemini: internal error', error);
      if (!res.headersSent) sendJson(res, 500, googleError(500));
      else res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      let closing: Promise<void> | null = null;
      resolve({
        origin,
        baseURL: `${origin}/v1beta`,
        requests,
        reset() {
          requests.length = 0;
          config.modelsListStatus = null;
          config.retiredModels = [];
        },
        close() {
          closing ??= new Promise<void>((done) => {
            for (const controller of inflight) controller.abort();
            server.close(() => done());
            // Hanging and keep-alive connections would otherwise hold close() open indefinitely.
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
