import type { LanguageModelCallOptions } from 'ai';
import { z } from 'zod';
import { UnsupportedSettingError } from '@/lib/core/model-settings';
import type { ModelTarget } from '@/lib/core/model-target';

/**
 * OpenAI's `reasoning_effort` → the AI SDK's `reasoning` setting, which @ai-sdk/google turns into Gemini's
 * thinkingConfig per model family (its model catalog knows each model's levels and budgets):
 *
 * - Gemini 3 and newer: `thinkingLevel`. A level the model lacks becomes the nearest lower one it has (the next
 *   higher when there is none lower): `none` → its lowest level (`minimal` on Flash, `low` on Pro, which cannot
 *   stop thinking), `xhigh`/`max` → `high` where there is no `xhigh`.
 * - Gemini 2.5: `thinkingBudget`, a share of the 65,536-token output ceiling, clamped to the model's range:
 *   `none` → 0 (Pro cannot stop thinking: its minimum, 128), `minimal` → 1,311, `low` → 6,554,
 *   `medium` → 19,661, `high` and above → the model's maximum (24,576 on Flash and Flash-Lite, 32,768 on Pro).
 * - Models that do not think (Gemini's metadata says `thinking: false`; Gemini 1.x and 2.0 and Gemma by name when
 *   the list cannot be read): Gemini refuses any thinkingConfig there, so `none` sends nothing and any other effort
 *   is refused, naming the adapter's param.
 */

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

export const ReasoningEffort = z.enum(REASONING_EFFORTS);
export type ReasoningEffort = z.infer<typeof ReasoningEffort>;

export type ReasoningSetting = NonNullable<LanguageModelCallOptions['reasoning']>;

// Only for when Gemini's list cannot be read: families whose models have no thinking, Gemini 1.x and 2.0
// (incl. `gemini-pro`), Gemma, and the odd non-Gemini ids Google serves (aqa, learnlm).
const NON_THINKING = /^(gemini-(1(\.\d+)?|2\.0)(-|$)|gemini-pro(-vision)?$|gemma-|aqa$|learnlm-)/i;

export function thinksAtAll(target: Pick<ModelTarget, 'id' | 'info'>): boolean {
  return target.info?.thinking ?? !NON_THINKING.test(target.id);
}

/** The `reasoning` call option for the model that serves, or undefined to leave Gemini's default. */
export function reasoningFor(
  target: Pick<ModelTarget, 'id' | 'info'>,
  effort: ReasoningEffort | null | undefined,
): ReasoningSetting | undefined {
  if (effort == null) return undefined;
  if (!thinksAtAll(target)) {
    if (effort === 'none') return undefined;
    throw new UnsupportedSettingError(
      'reasoning',
      effort,
      `is not supported with ${target.id}: it does not think. Use "none" or leave it out.`,
    );
  }
  return effort;
}
