import type { GeminiStream, StreamPart } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';
import type { ApiError } from '@/lib/errors';
import { SSE_DONE, sseData } from '@/lib/http/sse';
import { type CandidatePart, mergeCandidateStreams, sumUsage } from '@/lib/openai/candidates';
import { type CompletionIdentity, chatCompletionChunk } from '@/lib/openai/chat-completion';
import { type EventStreamOptions, type EventTranslator, streamEvents } from '@/lib/openai/event-stream';
import { toOpenAIFinishReason } from '@/lib/openai/map-finish-reason';
import { ToolCallDeltas } from '@/lib/openai/tool-calls-stream';
import { type OpenAIUsage, toOpenAIUsage } from '@/lib/openai/usage';

export interface StreamOptions extends Omit<EventStreamOptions<ChatStreamEvent>, 'translator' | 'encode'> {
  identity: CompletionIdentity;
  includeUsage: boolean;
  /** `parallel_tool_calls: false` passes on only the first tool call. Defaults to true. */
  parallelToolCalls?: boolean;
}

/** A chat.completion.chunk (or an in-band error) as it goes out, or the closing `[DONE]`. */
type ChatStreamEvent = object | 'done';

/**
 * Streams Gemini's answers as OpenAI chat.completion.chunk events, ending with `data: [DONE]`. Several streams
 * (`n` > 1) are merged as chunk objects: choice i is stream i, each with its own role and finish chunks, and
 * their usage is held back and sent once, summed, before the one `[DONE]`.
 */
export function streamChatCompletion(streams: readonly GeminiStream[], options: StreamOptions): Promise<Response> {
  const merged = streams.length === 1 ? (streams[0] as GeminiStream) : mergeCandidateStreams(streams);
  return streamEvents(merged, {
    ...options,
    translator: (served) =>
      streams.length === 1 ? chatChunks(served, options) : candidateChunks(served, options, streams.length),
    encode: (event) => (event === 'done' ? SSE_DONE : sseData(event)),
  });
}

/** n candidates' chunks as one stream's: renumbered, their usage summed, one `[DONE]` after the last finish. */
function candidateChunks(
  served: ModelTarget,
  options: Pick<StreamOptions, 'identity' | 'includeUsage' | 'parallelToolCalls'>,
  n: number,
): EventTranslator<ChatStreamEvent> {
  const each = Array.from({ length: n }, () => chatChunks(served, options));
  const usages: OpenAIUsage[] = [];
  let finished = 0;
  const renumber = (events: ChatStreamEvent[], i: number): ChatStreamEvent[] =>
    events.flatMap((event) => {
      if (event === 'done') return [];
      const { choices, usage } = event as { choices?: { index: number }[]; usage?: OpenAIUsage | null };
      if (choices?.length === 0 && usage) {
        usages.push(usage);
        return [];
      }
      return [{ ...event, choices: choices?.map((choice) => ({ ...choice, index: i })) }];
    });
  return {
    open: () => each.flatMap((translator, i) => renumber(translator.open() as ChatStreamEvent[], i)),
    async translate(part) {
      const i = (part as CandidatePart).candidate;
      const translated = await (each[i] as EventTranslator<ChatStreamEvent>).translate(part);
      const events = renumber(translated.events, i);
      if (translated.end && ++finished === n) {
        if (options.includeUsage) {
          const identity = { ...options.identity, model: served.id };
          events.push(chatCompletionChunk(identity, null, sumUsage(usages)));
        }
        events.push('done');
        return { events, end: true };
      }
      return { events };
    },
    fail: (error: ApiError) => [error.toJSON()],
  };
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
