import type { GeminiCallInput } from '@/lib/core/gemini-call';
import type { ChatCompletionRequest } from '@/lib/openai/request-schema';
import type { ConvertOptions } from '@/lib/openai/to-model-messages';
import { toModelMessages } from '@/lib/openai/to-model-messages';

/** A validated Chat Completions request → the core's description of the Gemini call. */
export async function toCallInput(request: ChatCompletionRequest, options: ConvertOptions): Promise<GeminiCallInput> {
  const prompt = await toModelMessages(request.messages, options);
  const stop = request.stop == null ? undefined : typeof request.stop === 'string' ? [request.stop] : request.stop;
  return {
    model: request.model,
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
    },
  };
}
