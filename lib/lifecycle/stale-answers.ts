import type { Config } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { describeDatabaseError } from '@/lib/db/unavailable';
import { interruptStaleAnswers } from '@/lib/storage/messages';

/**
 * The longest a chat answer can be written for: its Gemini call is cut at UPSTREAM_TIMEOUT_MS, a retired model
 * can cost one more call to its replacement, and a minute covers loading the chat and saving the answer.
 * A `streaming` answer older than this has no server writing it anymore, on this instance or any other.
 */
export function longestAnswerMs(config: Pick<Config, 'gemini'>): number {
  return 2 * config.gemini.timeoutMs + 60_000;
}

/** Run when the process's database opens: answers a stopped server left `streaming` become `interrupted`. */
export async function interruptAnswersLeftStreaming(db: Db, config: Pick<Config, 'gemini'>): Promise<void> {
  try {
    const count = await interruptStaleAnswers(db, new Date(Date.now() - longestAnswerMs(config)));
    if (count > 0) console.warn(JSON.stringify({ level: 'warn', event: 'stale_answers_interrupted', count }));
  } catch (error) {
    // Not worth failing the start for: the answers stay as they were until the next start.
    console.error(
      JSON.stringify({ level: 'error', event: 'stale_answers_check_failed', ...describeDatabaseError(error) }),
    );
  }
}
