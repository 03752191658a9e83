import { BoundedCache } from '@/lib/bounded-cache';
import { keyDigest } from '@/lib/gemini/key-digest';

/**
 * Models Gemini answered with 404 NOT_FOUND for a given key. Gemini refuses a retired model per key ("no longer
 * available to new users" while older keys keep it), so the memory is per upstream key: later requests on that key
 * go straight to the replacement, and other keys still get the model they asked for.
 *
 * In-process on purpose: losing it (a restart, another instance) costs one refused attempt, never a wrong answer.
 */
const REMEMBER_MS = 6 * 60 * 60_000;
const refused = new BoundedCache<true>(10_000);

const entryKey = (upstream: { baseURL: string; apiKey: string }, modelId: string) =>
  `${keyDigest(upstream.baseURL, upstream.apiKey)}\n${modelId}`;

export function rememberRefusedModel(upstream: { baseURL: string; apiKey: string }, modelId: string): void {
  refused.set(entryKey(upstream, modelId), true, REMEMBER_MS);
}

export function isRefusedModel(upstream: { baseURL: string; apiKey: string }, modelId: string): boolean {
  return refused.get(entryKey(upstream, modelId)) === true;
}
