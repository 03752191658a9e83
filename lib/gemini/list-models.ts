import { z } from 'zod';
import { BoundedCache } from '@/lib/bounded-cache';
import { keyDigest } from '@/lib/gemini/key-digest';
import { stripModelsPrefix } from '@/lib/gemini/model-id';

/**
 * Gemini's ListModels, read page by page, cached per upstream and key, with a built-in list to fall back on.
 * Every model is kept with the metadata Gemini gives (methods, limits, thinking), because that metadata, not
 * the model's name, says what a model can do.
 */

const GeminiModel = z.looseObject({
  name: z.string(),
  displayName: z.string().optional(),
  supportedGenerationMethods: z.array(z.string()).optional(),
  inputTokenLimit: z.number().optional(),
  outputTokenLimit: z.number().optional(),
  maxTemperature: z.number().optional(),
  thinking: z.boolean().optional(),
});
const ListModelsPage = z.looseObject({
  models: z.array(GeminiModel).optional(),
  nextPageToken: z.string().optional(),
});

export interface ModelInfo {
  id: string;
  displayName?: string;
  /** Gemini's supportedGenerationMethods: `generateContent` for chat, `embedContent` for embeddings. */
  methods: readonly string[];
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  maxTemperature?: number;
  /** Whether the model thinks; unknown (undefined) in the built-in list. */
  thinking?: boolean;
}

export interface ModelList {
  models: ModelInfo[];
  /** False when Gemini's list could not be read and the built-in list stands in. */
  fromUpstream: boolean;
}

export const canChat = (model: ModelInfo): boolean => model.methods.includes('generateContent');
export const canEmbed = (model: ModelInfo): boolean =>
  model.methods.includes('embedContent') || model.methods.includes('batchEmbedContents');

const CHAT = ['generateContent', 'countTokens'];

/**
 * Used only when ListModels cannot be read (Gemini down, a key without list access). Written down on 2026-12-03
 * from Google's models page; Google replaces models every few weeks, so within months some of these are retired.
 * Requests still go to the model asked for, so a stale entry only shows in listings and the chat's picker.
 */
export const BUILT_IN_MODELS: readonly ModelInfo[] = [
  { id: 'gemini-3.8-flash', displayName: 'Gemini 3.8 Flash', methods: CHAT },
  { id: 'gemini-3.6-flash', displayName: 'Gemini 3.6 Flash', methods: CHAT },
  { id: 'gemini-3.5-flash-lite', displayName: 'Gemini 3.5 Flash-Lite', methods: CHAT },
  { id: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro Preview', methods: CHAT },
  { id: 'gemini-embedding-001', displayName: 'Gemini Embedding 001', methods: ['embedContent'] },
];

const MAX_PAGES = 20;
// A failed read is retried sooner than a good list expires, so a blip does not pin the fallback for minutes.
const FAILURE_TTL_MS = 30_000;

const cache = new BoundedCache<ModelList>(200);

export async function listGeminiModels(options: {
  baseURL: string;
  apiKey: string;
  ttlMs: number;
  signal?: AbortSignal;
}): Promise<ModelList> {
  const cacheKey = keyDigest(options.baseURL, options.apiKey);
  const hit = cache.get(cacheKey);
  if (hit) return hit;

  let list: ModelList;
  try {
    list = { models: await fetchAllPages(options), fromUpstream: true };
  } catch {
    list = { models: [...BUILT_IN_MODELS], fromUpstream: false };
  }
  cache.set(cacheKey, list, list.fromUpstream ? options.ttlMs : FAILURE_TTL_MS);
  return list;
}

async function fetchAllPages(options: { baseURL: string; apiKey: string; signal?: AbortSignal }): Promise<ModelInfo[]> {
  const models: ModelInfo[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(`${options.baseURL}/models`);
    url.searchParams.set('pageSize', '1000');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const response = await fetch(url, {
      headers: { 'x-goog-api-key': options.apiKey },
      signal: options.signal ?? AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`ListModels answered ${response.status}`);
    const parsed = ListModelsPage.parse(await response.json());
    for (const model of parsed.models ?? []) models.push(toModelInfo(model));
    pageToken = parsed.nextPageToken;
    if (!pageToken) return models;
  }
  return models;
}

function toModelInfo(model: z.infer<typeof GeminiModel>): ModelInfo {
  return {
    id: stripModelsPrefix(model.name),
    displayName: model.displayName,
    methods: model.supportedGenerationMethods ?? [],
    inputTokenLimit: model.inputTokenLimit,
    outputTokenLimit: model.outputTokenLimit,
    maxTemperature: model.maxTemperature,
    thinking: model.thinking,
  };
}
