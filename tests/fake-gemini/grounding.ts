import { createHash } from 'node:crypto';
import type { Inspection } from './inspect.ts';

/**
 * Google Search grounding, as Gemini answers a request whose `tools` hold `{googleSearch: {}}`: the finishing
 * candidate carries `groundingMetadata` with the queries it ran, the web pages it used (`groundingChunks`) and
 * which part of the answer each supports. The pages are derived from the prompt, so a test can tell them apart.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function asksForGoogleSearch(body: unknown): boolean {
  return isObject(body) && Array.isArray(body.tools) && body.tools.some((t) => isObject(t) && 'googleSearch' in t);
}

export function groundingMetadata(inspection: Inspection, answer: string): Json {
  const query = inspection.lastUserText.replace(/\[[^\]]*\]/g, '').trim() || 'search';
  const key = createHash('sha256').update(query).digest('hex').slice(0, 8);
  return {
    searchEntryPoint: { renderedContent: `<div class="fake-search">${query}</div>` },
    groundingChunks: [
      { web: { uri: `https://search.fake.example/${key}/1`, title: `First result for ${query}` } },
      { web: { uri: `https://search.fake.example/${key}/2`, title: `Second result for ${query}` } },
    ],
    groundingSupports: [
      { segment: { startIndex: 0, endIndex: answer.length, text: answer }, groundingChunkIndices: [0, 1] },
    ],
    webSearchQueries: [query],
  };
}
