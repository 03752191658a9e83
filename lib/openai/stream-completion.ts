import type { GeminiStream, StreamPart } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';
import type { ApiError } from '@/lib/errors';
import { SSE_DONE, sseData } from '@/lib/http/sse';
import { type EventStreamOptions, type EventTranslator, streamEvents } from '@/lib/openai/event-stream';
import {
  type CompletionIdentity,
  chatCompletionChunk,
  toOpenAIFinishReason,
  toOpenAIUsage,
} from '@/lib/openai/response-format';
import { ToolCallDeltas } from '@/lib/openai/tool-calls-stream';

export interface StreamOptions extends Omit<EventStreamOptions<ChatStreamEvent>, 'translator' | 'encode'> {
  identity: CompletionIdentity;
  includeUsage: boolean;
  /** `parallel_tool_calls: false` passes on only the first tool call. Defaults to true. */
  parallelToolCalls?: boolean;
}

/** A chat.completion.chunk (or an in-band error) as it goes out, or the closing `[DONE]`. */
type ChatStreamEvent = object | 'done';

/** Streams a Gemini answer as OpenAI chat.completion.chunk events, ending with `data: [DONE]`. */
export function streamChatCompletion(stream: GeminiStream, options: StreamOptions): Promise<Response> {
  return streamEvents(stream, {
    ...options,
    translator: (served) => chatChunks(served, options),
    encode: (event) => (event === 'done' ? SSE_DONE : sseData(event)),
  });
}

/** SDK parts → chat.completion.chunk objects. */
function chatChunks(
  served: ModelTarget,
  options: Pick<StreamOptions, 'identity' | 'includeUsage' | 'parallelToolCalls'>,
): EventTranslator<ChatStreamEvent> {
  const identity = { ...options.identity, model: served.id };
  const { includeUsage } = options;
  const usageField = includeUsage ? null : undefined;
  const toolCalls = new ToolCallDeltas({ parallel: options.parallelToolCalls !== false });
  const chunk = (delta: Parameters<typeof chatCompletionChunk>[1]) => chatCompletionChunk(identity, delta, usageField);
  return {
    open: () => [chunk({ delta: { role: 'assistant', content: '' } })],
    translate(part: StreamPart) {
      switch (part.type) {
        case 'text-delta':
          return { events: part.text ? [chunk({ delta: { content: part.text } })] : [] };
        case 'reasoning-delta':
          // Only present when the caller asked for thoughts (include_thoughts): Gemini sends none otherwise.
          return { events: part.text ? [chunk({ delta: { reasoning_content: part.text } })] : [] };
        case 'tool-input-start':
        case 'tool-input-delta':
        case 'tool-call':
          return { events: toolCalls.accept(part).map((delta) => chunk({ delta: { tool_calls: [delta] } })) };
        case 'finish': {
          const events: ChatStreamEvent[] = [
            chunk({ delta: {}, finishReason: toOpenAIFinishReason(part.finishReason) }),
          ];
          if (includeUsage) events.push(chatCompletionChunk(identity, null, toOpenAIUsage(part.totalUsage)));
          events.push('done');
          return { events, end: true };
        }
        default:
          return { events: [] };
      }
    },
    fail: (error: ApiError) => [error.toJSON()],
  };
}
