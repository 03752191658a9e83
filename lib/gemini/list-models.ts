import { z } from 'zod';
import { BoundedCache } from '@/lib/bounded-cache';
import { keyDigest } from '@/lib/gemini/key-digest';
import { stripModelsPrefix } from '@/lib/gemini/model-id';

/** Gemini's ListModels, read page by page, cached per upstream and key, with a built-in list to fall back on. */

const GeminiModel = z.looseObject({
  name: z.string(),
  displayName: z.string().optional(),
  supportedGenerationMethods: z.array(z.string()).optional(),
});
const ListModelsPage = z.looseObject({
  models: z.array(GeminiModel).optional(),
  nextPageToken: z.string().optional(),
});

export interface ModelInfo {
  id: string;
  displayName?: string;
}

export interface ModelList {
  models: ModelInfo[];
  /** False when Gemini's list could not be read and the built-in list stands in. */
  fromUpstream: boolean;
}

/** Current vision-capable models (ai.google.dev/gemini-api/docs/models), used when ListModels cannot be read. */
export const BUILT_IN_MODELS: readonly ModelInfo[] = [
  { id: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro Preview' },
  { id: 'gemini-3-flash-preview', displayName: 'Gemini 3 Flash Preview' },
  { id: 'gemini-3.1-flash-lite-preview', displayName: 'Gemini 3.1 Flash-Lite Preview' },
  { id: 'gemini-2.5-flash-lite', displayName: 'Gemini 2.5 Flash-Lite' },
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
    for (const model of parsed.models ?? []) {
      // Only models that can answer a chat: embedding, AQA and the like cannot.
      if (!model.supportedGenerationMethods?.includes('generateContent')) continue;
      models.push({ id: stripModelsPrefix(model.name), displayName: model.displayName });
    }
    pageToken = parsed.nextPageToken;
    if (!pageToken) return models;
  }
  return models;
}
