import type { TextStreamPart, ToolSet } from 'ai';
import type { MessageStatus } from '@/lib/storage/messages';

/**
 * How an answer ended, as saved and as sent live in its last metadata, so a reload shows what the open page
 * showed. An answer Gemini broke off keeps its text and is saved as failed with finishReason `interrupted`
 * (the SDK's own name for a stream that ended without finishing): the chat shows it as "Connection lost", never
 * as complete.
 */

export const INTERRUPTED = 'interrupted';
export const CONNECTION_LOST_TEXT = 'Connection lost: Gemini broke off the answer.';

export function answerEnd(outcome: { finishReason: string | null; failure: string | null; aborted: boolean }): {
  status: MessageStatus;
  error: string | null;
} {
  if (outcome.failure) return { status: 'error', error: outcome.failure };
  if (outcome.finishReason === INTERRUPTED) return { status: 'error', error: CONNECTION_LOST_TEXT };
  if (outcome.aborted) return { status: 'stopped', error: null };
  return { status: 'complete', error: null };
}

type Part = TextStreamPart<ToolSet>;

/**
 * Gemini's stream breaking (the socket dies mid-answer) makes the SDK's stream throw, which would end the
 * chat's stream as a network error with the text lost. After some text it becomes a finish `interrupted`, so the
 * text is kept and saved; before any, it is an error like any other failed call.
 */
export async function* breakAsInterrupted(parts: AsyncIterableIterator<Part>): AsyncGenerator<Part> {
  let wrote = false;
  try {
    for await (const part of parts) {
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') wrote = true;
      yield part;
    }
  } catch (error) {
    if (!wrote) {
      yield { type: 'error', error };
      return;
    }
    yield { type: 'finish', finishReason: INTERRUPTED, rawFinishReason: undefined, totalUsage: UNKNOWN_USAGE };
  }
}

const UNKNOWN_USAGE = {
  inputTokens: undefined,
  inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
  outputTokens: undefined,
  outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
  totalTokens: undefined,
};
