import type { GeminiCallInput } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';
import { googleProviderOptions } from '@/lib/openai/google-extras';
import { mediaResolutionFor } from '@/lib/openai/input-parts';
import { rejectIgnoredPenalties } from '@/lib/openai/penalties';
import type { ChatCompletionRequest } from '@/lib/openai/request-schema';
import { structuredOutput } from '@/lib/openai/structured-output';
import type { ConvertOptions } from '@/lib/openai/to-model-messages';
import { toModelMessages } from '@/lib/openai/to-model-messages';
import { toToolCalling } from '@/lib/openai/tools';

/**
 * A validated Chat Completions request → the core's description of the Gemini call. With `answerOptions`, the one
 * place where the request fields Iris honours are read (the README's "mapped in" column points here).
 */
export async function toCallInput(
  request: ChatCompletionRequest,
  model: ModelTarget,
  options: ConvertOptions,
): Promise<GeminiCallInput> {
  // Before the messages: a penalty the model would drop, or a bad tool, is refused before any image is fetched.
  rejectIgnoredPenalties(request, model.id);
  const toolCalling = toToolCalling(request);
  const prompt = await toModelMessages(request.messages, options);
  const stop = request.stop == null ? undefined : typeof request.stop === 'string' ? [request.stop] : request.stop;
  return {
    model,
    instructions: prompt.instructions,
    messages: prompt.messages,
    settings: {
      temperature: request.temperature ?? undefined,
      topP: request.top_p ?? undefined,
      topK: request.top_k ?? undefined,
      // max_completion_tokens supersedes the deprecated max_tokens when both are sent.
      maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      stopSequences: stop && stop.length > 0 ? stop : undefined,
      seed: request.seed ?? undefined,
      presencePenalty: request.presence_penalty ?? undefined,
      frequencyPenalty: request.frequency_penalty ?? undefined,
    },
    mediaResolution: mediaResolutionFor(request.messages),
    output: structuredOutput(request.response_format),
    reasoning: request.reasoning_effort ?? undefined,
    googleOptions: googleProviderOptions(request),
    ...toolCalling,
  };
}

/** How the answer is given, rather than what Gemini is asked. */
export interface AnswerOptions {
  /** n > 1 is n independent Gemini calls (candidates.ts explains why). */
  candidates: number;
  /** Gemini has no switch for parallel calls: `false` is honoured by passing on only the first call. */
  parallelToolCalls: boolean;
  /** Undefined for a JSON answer. */
  stream?: { includeUsage: boolean };
}

export function answerOptions(request: ChatCompletionRequest): AnswerOptions {
  return {
    candidates: request.n ?? 1,
    parallelToolCalls: request.parallel_tool_calls !== false,
    ...(request.stream ? { stream: { includeUsage: request.stream_options?.include_usage === true } } : {}),
  };
}
