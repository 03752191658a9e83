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

const chat = (id: string, version: string, displayName: string, description: string): GeminiModel => ({
  name: `models/${id}`,
  version,
  displayName,
  description,
  inputTokenLimit: 1048576,
  outputTokenLimit: 65536,
  supportedGenerationMethods: [...CHAT_METHODS],
  temperature: 1,
  topP: 0.95,
  topK: 64,
  maxTemperature: 2,
  thinking: true,
});

// The embedding model is there so the gateway's "chat models only" filter has something to drop.
export const MODELS: readonly GeminiModel[] = [
  chat('gemini-2.5-flash-lite', '001', 'Gemini 2.5 Flash-Lite', 'Stable version of Gemini 2.5 Flash-Lite'),
  chat('gemini-3-flash-preview', '3-flash-preview-12-2025', 'Gemini 3 Flash Preview', 'Gemini 3 Flash Preview'),
  chat('gemini-3.1-pro-preview', '3.1-pro-preview-02-2026', 'Gemini 3.1 Pro Preview', 'Gemini 3.1 Pro Preview'),
  chat(
    'gemini-3.1-flash-lite-preview',
    '3.1-flash-lite-preview-03-2026',
    'Gemini 3.1 Flash-Lite Preview',
    'Gemini 3.1 Flash-Lite Preview',
  ),
  {
    name: 'models/gemini-embedding-001',
    version: '001',
    displayName: 'Gemini Embedding 001',
    description: 'Obtain a distributed representation of a text.',
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent'],
  },
];

export function findModel(id: string): GeminiModel | undefined {
  return MODELS.find((m) => m.name === `models/${id}`);
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

// Opaque on purpose, like Google's, so a client that builds tokens itself instead of echoing nextPageToken fails.
const encodeToken = (offset: number) => Buffer.from(`fake-offset:${offset}`).toString('base64url');

function decodeToken(token: string): number | null {
  const match = /^fake-offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  const offset = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(offset) && offset > 0 && offset < MODELS.length ? offset : null;
}

export type ListModelsResult =
  | { ok: true; body: { models: GeminiModel[]; nextPageToken?: string } }
  | { ok: false; status: number; body: GoogleErrorBody };

export function listModelsPage(pageSizeParam: string | null, pageToken: string | null): ListModelsResult {
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
    const decoded = decodeToken(pageToken);
    if (decoded === null) return { ok: false, status: 400, body: googleError(400, 'Invalid page token.') };
    offset = decoded;
  }
  const models = MODELS.slice(offset, offset + pageSize).map((m) => structuredClone(m));
  const next = offset + pageSize;
  return { ok: true, body: next < MODELS.length ? { models, nextPageToken: encodeToken(next) } : { models } };
}
