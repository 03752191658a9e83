import type { GoogleLanguageModelOptions } from '@ai-sdk/google';
import { z } from 'zod';
import { invalidRequest } from '@/lib/errors';

/**
 * Gemini options that have no OpenAI field: `{ thinking_config, safety_settings, cached_content }`, accepted in both
 * places callers put them. Google's own OpenAI layer documents a body field `extra_body.google` (Python:
 * `extra_body={"extra_body": {"google": …}}`, JS: `extra_body: {google: …}`), so code copied from Google's docs works;
 * a top-level `google` is what Python's plain `extra_body={"google": …}`, LangChain's `modelKwargs` and
 * @ai-sdk/openai-compatible's `providerOptions` send. Validated strictly: a misspelt Gemini option is a 400 naming
 * it, never silently ignored.
 */

const HARM_CATEGORIES = [
  'HARM_CATEGORY_UNSPECIFIED',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_CIVIC_INTEGRITY',
] as const;

const HARM_BLOCK_THRESHOLDS = [
  'HARM_BLOCK_THRESHOLD_UNSPECIFIED',
  'BLOCK_LOW_AND_ABOVE',
  'BLOCK_MEDIUM_AND_ABOVE',
  'BLOCK_ONLY_HIGH',
  'BLOCK_NONE',
  'OFF',
] as const;

const ThinkingConfig = z
  .strictObject({
    // -1 lets the model decide, 0 turns thinking off where the model allows it; Gemini checks each model's range.
    thinking_budget: z.int().min(-1).nullish(),
    thinking_level: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
    include_thoughts: z.boolean().nullish(),
  })
  .refine((c) => c.thinking_budget == null || c.thinking_level == null, {
    message: 'set thinking_budget or thinking_level, not both (Gemini refuses the pair)',
  });

const SafetySetting = z.strictObject({
  category: z.enum(HARM_CATEGORIES),
  threshold: z.enum(HARM_BLOCK_THRESHOLDS),
});

export const GoogleExtras = z.strictObject({
  thinking_config: ThinkingConfig.nullish(),
  safety_settings: z.array(SafetySetting).nullish(),
  cached_content: z
    .string()
    .regex(/^cachedContents\/[A-Za-z0-9_-]+$/, 'must name a cache, e.g. "cachedContents/abc123"')
    .nullish(),
});
export type GoogleExtras = z.infer<typeof GoogleExtras>;

/** Google's documented spelling: the body field `extra_body` holding `google`. */
export const ExtraBody = z.strictObject({ google: GoogleExtras.nullish() });

export interface GoogleExtrasSources {
  google?: GoogleExtras | null;
  extra_body?: { google?: GoogleExtras | null } | null;
  reasoning_effort?: string | null;
}

/** Where a request put its Gemini options: `google` or `extra_body.google`; a 400 when it put them in both. */
export function chosenGoogleExtras<T>(request: {
  google?: T | null;
  extra_body?: { google?: T | null } | null;
}): { google: T; where: 'google' | 'extra_body.google' } | undefined {
  const nested = request.extra_body?.google;
  if (request.google != null && nested != null) {
    throw invalidRequest(
      'Send Gemini options once: either google or extra_body.google, not both.',
      'extra_body.google',
      'invalid_value',
    );
  }
  if (request.google != null) return { google: request.google, where: 'google' };
  return nested != null ? { google: nested, where: 'extra_body.google' } : undefined;
}

/** `google.*` (or `extra_body.google.*`) → providerOptions.google; a 400 when it contradicts itself or `reasoning_effort`. */
export function googleProviderOptions(request: GoogleExtrasSources): GoogleLanguageModelOptions | undefined {
  const chosen = chosenGoogleExtras(request);
  if (chosen === undefined) return undefined;
  const { google, where } = chosen;
  const thinking = google.thinking_config;
  if (request.reasoning_effort != null && (thinking?.thinking_budget != null || thinking?.thinking_level != null)) {
    const field = `${where}.thinking_config.${thinking.thinking_budget != null ? 'thinking_budget' : 'thinking_level'}`;
    throw invalidRequest(
      `reasoning_effort and ${field} both set how much Gemini thinks: send one of them.`,
      field,
      'invalid_value',
    );
  }
  const options: GoogleLanguageModelOptions = {};
  if (thinking) {
    options.thinkingConfig = {
      ...(thinking.thinking_budget != null ? { thinkingBudget: thinking.thinking_budget } : {}),
      ...(thinking.thinking_level != null ? { thinkingLevel: thinking.thinking_level } : {}),
      ...(thinking.include_thoughts != null ? { includeThoughts: thinking.include_thoughts } : {}),
    };
  }
  if (google.safety_settings) options.safetySettings = google.safety_settings;
  if (google.cached_content) options.cachedContent = google.cached_content;
  return Object.keys(options).length > 0 ? options : undefined;
}
