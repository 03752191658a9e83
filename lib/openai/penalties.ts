import { invalidRequest } from '@/lib/errors';
import type { ChatCompletionRequest } from '@/lib/openai/request-schema';

/**
 * presence_penalty and frequency_penalty reach Gemini's generationConfig through the AI SDK's call settings,
 * except where @ai-sdk/google drops them with only a warning: Gemini 2.5 models on the Gemini API (its model
 * catalog marks their penalties "Only supported on the Vertex AI API"). The pattern is the SDK's own
 * (`gemini25ModelPattern`); tests/unit/openai/penalties.test.ts runs the real SDK against the fake to keep them in step.
 */
const PENALTIES_DROPPED_BY_SDK = /(^|[/.])gemini-2\.5(?:[.-]|$)/i;

/** Throws a 400 naming the penalty that the served model would silently ignore. */
export function rejectIgnoredPenalties(request: ChatCompletionRequest, modelId: string): void {
  if (!PENALTIES_DROPPED_BY_SDK.test(modelId)) return;
  for (const param of ['presence_penalty', 'frequency_penalty'] as const) {
    if ((request[param] ?? 0) === 0) continue;
    throw invalidRequest(
      `${param} is not supported for ${modelId}: the Gemini API takes penalties on Gemini 2.5 models only through Vertex AI. Remove it or use a newer model.`,
      param,
      'unsupported_parameter',
    );
  }
}
