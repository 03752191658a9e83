import type { FinishReason } from 'ai';

export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/**
 * The SDK's unified reasons → OpenAI's; never a raw Gemini value. STOP→stop, MAX_TOKENS→length,
 * SAFETY/RECITATION/BLOCKLIST/PROHIBITED_CONTENT/SPII and blocked prompts→content_filter. Reasons the
 * SDK lumps into `other` are told apart by Gemini's raw value: the image-safety family is a content
 * filter too; the rest (LANGUAGE, OTHER, …) ends the answer like a stop.
 */
export function toOpenAIFinishReason(reason: FinishReason, rawReason?: string): OpenAIFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return rawReason && FILTER_REASON.test(rawReason) ? 'content_filter' : 'stop';
  }
}

const FILTER_REASON = /SAFETY|PROHIBITED|RECITATION|BLOCKLIST|SPII/;
