import { randomBytes } from 'node:crypto';
import type { FinishReason, LanguageModelUsage } from 'ai';
import type { ToolCallChunk } from '@/lib/openai/tool-calls-stream';

/** Shapes of OpenAI's Chat Completions responses, as Iris emits them. */

export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

export function newCompletionIdentity(model: string): CompletionIdentity {
  return { id: `chatcmpl-${randomBytes(18).toString('base64url')}`, created: Math.floor(Date.now() / 1000), model };
}

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

export function chatCompletion(
  identity: CompletionIdentity,
  result: {
    text: string;
    finishReason: FinishReason;
    rawFinishReason?: string;
    usage: LanguageModelUsage;
    /** Gemini's thought summaries, present only when the caller asked for them (include_thoughts). */
    finalStep?: { reasoningText?: string };
  },
) {
  return {
    id: identity.id,
    object: 'chat.completion' as const,
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: result.text,
          refusal: null,
          annotations: [],
          // The field DeepSeek introduced and @ai-sdk/openai-compatible and LangChain read; OpenAI's schema allows it.
          ...(result.finalStep?.reasoningText ? { reasoning_content: result.finalStep.reasoningText } : {}),
        },
        logprobs: null,
        finish_reason: toOpenAIFinishReason(result.finishReason, result.rawFinishReason),
      },
    ],
    usage: toOpenAIUsage(result.usage),
  };
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  tool_calls?: ToolCallChunk[];
}

export function chatCompletionChunk(
  identity: CompletionIdentity,
  choice: { delta: ChunkDelta; finishReason?: OpenAIFinishReason } | null,
  usage: OpenAIUsage | null | undefined,
) {
  return {
    id: identity.id,
    object: 'chat.completion.chunk' as const,
    created: identity.created,
    model: identity.model,
    choices:
      choice === null
        ? []
        : [{ index: 0, delta: choice.delta, logprobs: null, finish_reason: choice.finishReason ?? null }],
    // With include_usage every chunk carries `usage` (null until the last); without it the field is absent, as OpenAI does.
    ...(usage === undefined ? {} : { usage }),
  };
}
