import { canChat, type ModelInfo } from '@/lib/gemini/list-models';

/**
 * Gemini's ids say a model's version and tier: `gemini-3.6-flash`, `gemini-3.1-pro-preview`,
 * `gemini-2.5-flash-lite-preview-06-17`, `gemini-1.5-pro-latest`. A retired id is served by the newest listed
 * model of its tier, so this reads those two facts out of an id and ranks the candidates.
 */

export type ModelTier = 'pro' | 'flash' | 'flash-lite';

export interface ParsedModelId {
  version: number[];
  tier: ModelTier;
  /** Stable releases rank above previews and experiments of the same version. */
  stable: boolean;
  /** A plain text-and-vision model, not a variant (image, tts, live, audio, robotics…) of the tier. */
  plain: boolean;
}

const ID = /^gemini-(\d+(?:\.\d+)*)-(flash-lite|flash|pro)(?:-(.+))?$/;
// What may follow the tier on a plain model: a preview or experiment tag, a date, `latest`, a build number.
const PLAIN_SUFFIX = /^(?:(?:preview|exp)(?:-[\d-]+)?|latest|\d{3})$/;

export function parseModelId(id: string): ParsedModelId | undefined {
  const match = ID.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  const suffix = match[3];
  return {
    version: match[1].split('.').map(Number),
    tier: match[2] as ModelTier,
    stable: suffix === undefined || !/^(preview|exp)/.test(suffix),
    plain: suffix === undefined || PLAIN_SUFFIX.test(suffix),
  };
}

export function tierOf(id: string): ModelTier | undefined {
  return parseModelId(id)?.tier;
}

/**
 * The model that serves `asked` when Gemini no longer does: the newest listed plain chat model of the same tier,
 * newest by version number, a stable release before a preview of the same version. `isExcluded` names ids known
 * not to answer (ids Gemini refused for this key).
 */
export function sameTierReplacement(
  asked: string,
  models: readonly ModelInfo[],
  isExcluded: (id: string) => boolean,
): ModelInfo | undefined {
  const tier = tierOf(asked);
  if (tier === undefined) return undefined;
  const candidates = models
    .filter((model) => canChat(model) && model.id !== asked && !isExcluded(model.id))
    .map((model) => ({ model, parsed: parseModelId(model.id) }))
    .filter(
      (c): c is { model: ModelInfo; parsed: ParsedModelId } => c.parsed?.tier === tier && c.parsed.plain === true,
    );
  candidates.sort((a, b) => compareVersions(b.parsed.version, a.parsed.version) || rankStable(b) - rankStable(a));
  return candidates[0]?.model;
}

/** The newest listed plain model of a tier, for defaults (the chat starts on the newest flash). */
export function newestOfTier(tier: ModelTier, models: readonly ModelInfo[]): ModelInfo | undefined {
  // Any id of the tier stands in for "asked": it is not listed, so nothing is left out on its account.
  return sameTierReplacement(`gemini-0-${tier}`, models, () => false);
}

function rankStable(candidate: { parsed: ParsedModelId }): number {
  return candidate.parsed.stable ? 1 : 0;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
