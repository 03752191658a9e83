import type { LanguageModelUsage } from 'ai';

/** OpenAI's token counts, as Chat Completions reports them (and Responses and the chat derive theirs from). */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** Gemini counts thinking apart from the answer; OpenAI counts it inside completion_tokens, as the SDK's outputTokens does. */
export function toOpenAIUsage(usage: LanguageModelUsage): OpenAIUsage {
  const prompt = usage.inputTokens ?? 0;
  const completion = usage.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage.totalTokens ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.inputTokenDetails?.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.outputTokenDetails?.reasoningTokens ?? 0 },
  };
}
