import { createHash } from 'node:crypto';
import { errorForStatus, googleError } from './errors.ts';
import type { Exchange } from './exchange.ts';
import { tagOf } from './inspect.ts';

/**
 * Gemini's `:embedContent` (one text) and `:batchEmbedContents` (up to 100), as the REST reference describes them.
 * There is no recording of these calls, so the shapes follow Google's API reference: `embedding.values` /
 * `embeddings[].values`, plus `usageMetadata.promptTokenCount` (EmbeddingUsageMetadata; `[fake:no-usage]` leaves it
 * out, as older API surfaces do).
 *
 * Vectors are derived from each text alone (SHA-256 in counter mode), so a test recomputes input i's vector with
 * `fakeEmbedding` and can tell that it came back at index i. Every value is a multiple of 2^-15 in [-1, 1), which
 * float32 holds exactly: a base64 (float32) transport decodes back to the very same numbers. A shorter
 * `outputDimensionality` gives the first values of the full vector, as Gemini's truncated embeddings do.
 *
 * Directives in the texts (any input of the call): [fake:NNN] answers the call with that HTTP error,
 * [fake:delay:MS] answers after MS, [fake:hang] never answers, [fake:no-usage] leaves usageMetadata out.
 */

export const FAKE_EMBEDDING_DIMENSIONS = 3072;
/** Gemini's own cap on one batchEmbedContents call. */
export const MAX_BATCH_REQUESTS = 100;

const TASK_TYPES = new Set([
  'TASK_TYPE_UNSPECIFIED',
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
]);

export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i < digest.length && values.length < dimensions; i += 2) values.push(digest.readInt16LE(i) / 32768);
  }
  return values;
}

/** Gemini counts tokens its own way; the fake counts words, so a test can tell its count from any estimate. */
export function fakeTokenCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

export type EmbedMethod = 'embedContent' | 'batchEmbedContents';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface EmbedRequest {
  text: string;
  dimensions: number;
}

interface EmbedScenario {
  errorStatus: number | null;
  delayMs: number;
  hang: boolean;
  usage: boolean;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Every text of an embedding call's body, in order: where its tag and directives are read from. */
export function embedTexts(body: unknown): string[] {
  const requests = isObject(body) && Array.isArray(body.requests) ? body.requests : [body];
  return requests.flatMap((request) => {
    const parts = isObject(request) && isObject(request.content) ? request.content.parts : undefined;
    return Array.isArray(parts)
      ? parts.flatMap((p) => (isObject(p) && typeof p.text === 'string' ? [p.text] : []))
      : [];
  });
}

/** The first `[tag:…]` among the call's texts, so parallel tests find their own calls. */
export function embedTag(body: unknown): string | null {
  for (const text of embedTexts(body)) {
    const tag = tagOf(text);
    if (tag !== null) return tag;
  }
  return null;
}

export async function serveEmbed(ex: Exchange, method: EmbedMethod, model: string, body: unknown): Promise<void> {
  const requests = parseCall(method, model, body);
  if (!requests.ok) return ex.sendJson(400, googleError(400, requests.message));
  const scenario = parseDirectives(embedTexts(body));
  if (!scenario.ok) return ex.sendJson(400, googleError(400, scenario.message));
  const { errorStatus, delayMs, hang, usage } = scenario.value;
  if (!(await ex.sleep(delayMs)) || hang) return;
  if (errorStatus !== null) return ex.sendJson(errorStatus, errorForStatus(errorStatus));

  const promptTokenCount = requests.value.reduce((sum, r) => sum + fakeTokenCount(r.text), 0);
  const usageMetadata = usage
    ? { usageMetadata: { promptTokenCount, promptTokenDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }] } }
    : {};
  const embeddings = requests.value.map((r) => ({ values: fakeEmbedding(r.text, r.dimensions) }));
  if (method === 'embedContent') return ex.sendJson(200, { embedding: embeddings[0], ...usageMetadata });
  ex.sendJson(200, { embeddings, ...usageMetadata });
}

/** The call's requests, or the message of the 400 Gemini answers for a call it refuses. */
function parseCall(method: EmbedMethod, model: string, body: unknown): Parsed<EmbedRequest[]> {
  if (!isObject(body)) return { ok: false, message: 'Invalid JSON payload received. Expected an object.' };
  if (method === 'embedContent') {
    const one = parseRequest(body, model, 'EmbedContentRequest');
    return one.ok ? { ok: true, value: [one.value] } : one;
  }
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return { ok: false, message: '* BatchEmbedContentsRequest.requests: requests is not specified\n' };
  }
  if (requests.length > MAX_BATCH_REQUESTS) {
    return {
      ok: false,
      message: `* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH_REQUESTS} requests can be in one batch\n`,
    };
  }
  const value: EmbedRequest[] = [];
  for (const [i, request] of requests.entries()) {
    const one = parseRequest(request, model, `BatchEmbedContentsRequest.requests[${i}]`);
    if (!one.ok) return one;
    value.push(one.value);
  }
  return { ok: true, value };
}

function parseRequest(request: unknown, model: string, where: string): Parsed<EmbedRequest> {
  if (!isObject(request)) return { ok: false, message: `* ${where}: must be an object\n` };
  // Every request of a batch must name the model of the URL, as Gemini checks.
  if (request.model !== undefined && request.model !== `models/${model}`) {
    return { ok: false, message: `* ${where}.model: model must be models/${model}, the model of the call\n` };
  }
  const parts = isObject(request.content) ? request.content.parts : undefined;
  if (!Array.isArray(parts) || parts.length === 0) {
    return { ok: false, message: `* ${where}.content: contents is not specified\n` };
  }
  const texts = parts.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : null));
  if (texts.some((t) => t === null)) return { ok: false, message: `* ${where}.content.parts: only text parts embed\n` };
  const text = texts.join('');
  if (text === '') return { ok: false, message: `* ${where}.content: text must not be empty\n` };
  const taskType = request.taskType;
  if (taskType !== undefined && !(typeof taskType === 'string' && TASK_TYPES.has(taskType))) {
    return {
      ok: false,
      message: `Invalid value at '${where}.task_type' (type.googleapis.com/google.ai.generativelanguage.v1beta.TaskType), ${JSON.stringify(taskType)}`,
    };
  }
  const dimensions = request.outputDimensionality ?? FAKE_EMBEDDING_DIMENSIONS;
  if (
    !Number.isInteger(dimensions) ||
    (dimensions as number) < 1 ||
    (dimensions as number) > FAKE_EMBEDDING_DIMENSIONS
  ) {
    return {
      ok: false,
      message: `* ${where}.output_dimensionality: must be from 1 to ${FAKE_EMBEDDING_DIMENSIONS}, not ${JSON.stringify(dimensions)}\n`,
    };
  }
  return { ok: true, value: { text, dimensions: dimensions as number } };
}

const DIRECTIVE = /\[fake:([^\]]*)\]/g;
const MAX_DELAY_MS = 10 * 60 * 1000;

// Unknown directives are refused loudly, as for generateContent: a silently ignored typo would pass a test wrongly.
function parseDirectives(texts: readonly string[]): Parsed<EmbedScenario> {
  const scenario: EmbedScenario = { errorStatus: null, delayMs: 0, hang: false, usage: true };
  for (const text of texts) {
    for (const match of text.matchAll(DIRECTIVE)) {
      const raw = match[1] ?? '';
      const [name = '', arg, ...rest] = raw.split(':');
      if (rest.length === 0 && arg === undefined && /^\d{3}$/.test(name) && Number(name) >= 400 && Number(name) < 600) {
        scenario.errorStatus = Number(name);
      } else if (rest.length === 0 && name === 'delay' && arg !== undefined && /^\d+$/.test(arg)) {
        scenario.delayMs = Math.min(Number(arg), MAX_DELAY_MS);
      } else if (raw === 'hang') scenario.hang = true;
      else if (raw === 'no-usage') scenario.usage = false;
      else return { ok: false, message: `Fake Gemini: [fake:${raw}] means nothing to an embedding call.` };
    }
  }
  return { ok: true, value: scenario };
}
