import { randomBytes } from 'node:crypto';
import type { FinishReason, LanguageModelUsage } from 'ai';
import { type OpenAIFinishReason, toOpenAIFinishReason } from '@/lib/openai/map-finish-reason';
import type { ToolCallChunk } from '@/lib/openai/tool-calls-stream';
import { type OpenAIUsage, toOpenAIUsage } from '@/lib/openai/usage';

/** Shapes of OpenAI's Chat Completions responses, as Iris emits them: the completion and its stream chunks. */

export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

export function newCompletionIdentity(model: string): CompletionIdentity {
  return { id: `chatcmpl-${randomBytes(18).toString('base64url')}`, created: Math.floor(Date.now() / 1000), model };
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
