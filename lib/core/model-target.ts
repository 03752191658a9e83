import type { Config } from '@/lib/config';
import { modelNotFound } from '@/lib/errors';
import { canChat, listGeminiModels, type ModelInfo, type ModelList } from '@/lib/gemini/list-models';
import { stripModelsPrefix } from '@/lib/gemini/model-id';
import { sameTierReplacement } from '@/lib/gemini/model-tier';
import { isRefusedModel, rememberRefusedModel } from '@/lib/gemini/refused-models';

/**
 * Which Gemini model serves a request. Gemini's own list is the truth: a listed model is called exactly as asked;
 * an id Gemini no longer lists, or refuses for this key, is served by the operator's alias for it or else by the
 * newest listed model of the same tier; an id that fits no tier is a 404.
 */
export interface ModelTarget {
  /** As the caller named it, without the `models/` prefix. */
  asked: string;
  /** The model the call goes to. */
  id: string;
  /** Gemini's metadata for `id`, when its list has it. */
  info?: ModelInfo;
  /** Why `id` differs from `asked`, or `as-asked`. */
  how: 'as-asked' | 'alias' | 'replacement';
}

export interface UpstreamKey {
  config: Config;
  apiKey: string;
}

export const isSubstituted = (target: ModelTarget): boolean => target.id !== target.asked;

/** `x-iris-model-substituted: <asked> -> <served>` when Iris serves another model than the one asked for. */
export function substitutionHeaders(target: ModelTarget): Record<string, string> {
  return isSubstituted(target) ? { 'x-iris-model-substituted': `${target.asked} -> ${target.id}` } : {};
}

export async function resolveModel(requested: string, upstream: UpstreamKey): Promise<ModelTarget> {
  const asked = stripModelsPrefix(requested.trim());
  const list = await modelList(upstream);
  // The operator's word goes first: an alias is how they say "serve this name with that model".
  const alias = upstream.config.modelAliases.get(asked);
  if (alias !== undefined && !refused(upstream, alias)) {
    return { asked, id: alias, info: chatModel(list, alias), how: 'alias' };
  }
  const listed = chatModel(list, asked);
  if (!refused(upstream, asked)) {
    if (listed) return { asked, id: asked, info: listed, how: 'as-asked' };
    // Without Gemini's list nothing says the id is gone: call it, and let a 404 pick the replacement.
    if (!list.fromUpstream) return { asked, id: asked, how: 'as-asked' };
  }
  const replacement = sameTierReplacement(asked, list.models, (id) => refused(upstream, id));
  if (replacement) return { asked, id: replacement.id, info: replacement, how: 'replacement' };
  throw modelNotFound(asked);
}

/**
 * Gemini answered 404 NOT_FOUND for `target.id` ("not found for API version", "no longer available to new users"):
 * remembered for this key, and the next model of its tier found, or undefined when there is none.
 */
export async function replacementAfterRefusal(
  target: ModelTarget,
  upstream: UpstreamKey,
): Promise<ModelTarget | undefined> {
  rememberRefusedModel(upstreamOf(upstream), target.id);
  const list = await modelList(upstream);
  const skip = (id: string) => id === target.asked || refused(upstream, id);
  const replacement =
    sameTierReplacement(target.id, list.models, skip) ?? sameTierReplacement(target.asked, list.models, skip);
  return replacement ? { asked: target.asked, id: replacement.id, info: replacement, how: 'replacement' } : undefined;
}

/** Gemini's list for this upstream key, cached (or the built-in list when it cannot be read). */
export function modelList(upstream: UpstreamKey): Promise<ModelList> {
  return listGeminiModels({ ...upstreamOf(upstream), ttlMs: upstream.config.modelsCacheTtlMs });
}

function chatModel(list: ModelList, id: string): ModelInfo | undefined {
  return list.models.find((model) => model.id === id && canChat(model));
}

function refused(upstream: UpstreamKey, id: string): boolean {
  return isRefusedModel(upstreamOf(upstream), id);
}

function upstreamOf(upstream: UpstreamKey) {
  return { baseURL: upstream.config.gemini.baseURL, apiKey: upstream.apiKey };
}
