import { type GoogleErrorBody, googleError } from './errors.ts';

export interface GeminiModel {
  name: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTemperature?: number;
  thinking?: boolean;
}

const CHAT_METHODS = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];

type ChatModelFacts = Partial<Omit<GeminiModel, 'name' | 'displayName' | 'description'>>;

const chat = (id: string, displayName: string, facts: ChatModelFacts = {}): GeminiModel => ({
  name: `models/${id}`,
  version: id.replace(/^gemini-/, ''),
  displayName,
  description: displayName,
  inputTokenLimit: 1048576,
  outputTokenLimit: 65536,
  supportedGenerationMethods: [...CHAT_METHODS],
  temperature: 1,
  topP: 0.95,
  topK: 64,
  maxTemperature: 2,
  thinking: true,
  ...facts,
});

/**
 * Gemini's list as of late 2026 (../shared/research/late-2026-notes.md), with the metadata fields ListModels
 * sends. Older ids stay listed where Google still lists them; the fake answers only the ids listed here (any
 * other id is Google's "not found for API version" 404), and RETIRED_FOR_NEW_KEYS below for legacy keys only.
 */
export const MODELS: readonly GeminiModel[] = [
  chat('gemini-3.8-flash', 'Gemini 3.8 Flash'),
  chat('gemini-3.6-flash', 'Gemini 3.6 Flash'),
  chat('gemini-3.5-flash-lite', 'Gemini 3.5 Flash-Lite'),
  chat('gemini-3.1-flash-lite-preview', 'Gemini 3.1 Flash-Lite Preview'),
  chat('gemini-3.1-pro-preview', 'Gemini 3.1 Pro Preview'),
  chat('gemini-3-flash-preview', 'Gemini 3 Flash Preview'),
  chat('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  chat('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  chat('gemini-2.5-pro', 'Gemini 2.5 Pro'),
  chat('gemini-2.5-flash-preview-tts', 'Gemini 2.5 Flash Preview TTS', {
    inputTokenLimit: 8192,
    outputTokenLimit: 16384,
    supportedGenerationMethods: ['countTokens', 'generateContent'],
    thinking: false,
  }),
  // Gemma does not think, and has a smaller window; its lower temperature ceiling gives the check a case to catch.
  chat('gemma-3-27b-it', 'Gemma 3 27B', {
    inputTokenLimit: 131072,
    outputTokenLimit: 8192,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
    maxTemperature: 1,
    thinking: false,
  }),
  {
    name: 'models/gemini-embedding-001',
    version: '001',
    displayName: 'Gemini Embedding 001',
    description: 'Obtain a distributed representation of a text.',
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'],
  },
];

/** Listed, but refused to keys created after their deprecation, as Google did through 2026. */
export const RETIRED_FOR_NEW_KEYS: ReadonlySet<string> = new Set(['gemini-2.5-pro']);

/** `retired` names ids the test has since retired (/__fake/config): gone from the list and answered 404. */
export function listedModels(retired: readonly string[]): GeminiModel[] {
  return MODELS.filter((m) => !retired.includes(m.name.slice('models/'.length)));
}

export function findModel(id: string, retired: readonly string[]): GeminiModel | undefined {
  return listedModels(retired).find((m) => m.name === `models/${id}`);
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

// Opaque on purpose, like Google's, so a client that builds tokens itself instead of echoing nextPageToken fails.
const encodeToken = (offset: number) => Buffer.from(`fake-offset:${offset}`).toString('base64url');

function decodeToken(token: string, total: number): number | null {
  const match = /^fake-offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  const offset = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(offset) && offset > 0 && offset < total ? offset : null;
}

export type ListModelsResult =
  | { ok: true; body: { models: GeminiModel[]; nextPageToken?: string } }
  | { ok: false; status: number; body: GoogleErrorBody };

export function listModelsPage(
  models: readonly GeminiModel[],
  pageSizeParam: string | null,
  pageToken: string | null,
): ListModelsResult {
  let pageSize = DEFAULT_PAGE_SIZE;
  if (pageSizeParam !== null && pageSizeParam !== '') {
    const n = Number(pageSizeParam);
    if (!Number.isInteger(n)) {
      return {
        ok: false,
        status: 400,
        body: googleError(400, `Invalid value at 'page_size' (TYPE_INT32), "${pageSizeParam}"`),
      };
    }
    // Google treats zero or negative as "use the default" and caps large values.
    if (n > 0) pageSize = Math.min(n, MAX_PAGE_SIZE);
  }
  let offset = 0;
  if (pageToken !== null && pageToken !== '') {
    const decoded = decodeToken(pageToken, models.length);
    if (decoded === null) return { ok: false, status: 400, body: googleError(400, 'Invalid page token.') };
    offset = decoded;
  }
  const page = models.slice(offset, offset + pageSize).map((m) => structuredClone(m));
  const next = offset + pageSize;
  return {
    ok: true,
    body: next < models.length ? { models: page, nextPageToken: encodeToken(next) } : { models: page },
  };
}
