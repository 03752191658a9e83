import { INTERRUPTED } from '@/lib/chat/live-answers/answer-end';
import type { IrisUIMessage } from '@/lib/client/chats-api';

/** The browser's side of answers that outlive the page (see lib/chat/live-answers). */

/** Stops the chat's running answer on the server (aborting the fetch only leaves it running, by design). */
export async function stopAnswerOnServer(chatId: string): Promise<void> {
  try {
    await fetch(`/api/chat/${encodeURIComponent(chatId)}/stream`, { method: 'DELETE' });
  } catch {
    // Offline: the answer finishes on the server and the chat shows it complete next time.
  }
}

export function isRunning(message: IrisUIMessage | undefined): boolean {
  return message?.role === 'assistant' && message.metadata?.status === 'streaming';
}

/** The server's last metadata says how the answer ended; a stream that ended without it was cut on the way. */
export function endedProperly(message: IrisUIMessage): boolean {
  const status = message.metadata?.status;
  return status === 'complete' || status === 'stopped' || status === 'interrupted' || status === 'error';
}

export const CONNECTION_LOST = { status: 'error', finishReason: INTERRUPTED, error: 'Connection lost.' } as const;

export function isConnectionLost(message: IrisUIMessage): boolean {
  return message.metadata?.status === 'error' && message.metadata.finishReason === INTERRUPTED;
}

// Per tab (sessionStorage survives a reload, not a second tab): whether the running answer was asked for here.
const ASKED_HERE = 'iris:asked-here:';

export function rememberAskedHere(chatId: string, asked: boolean): void {
  try {
    if (asked) sessionStorage.setItem(ASKED_HERE + chatId, '1');
    else sessionStorage.removeItem(ASKED_HERE + chatId);
  } catch {
    // Storage refused (private mode): the note about another tab may show after a reload, nothing worse.
  }
}

export function askedHere(chatId: string): boolean {
  try {
    return sessionStorage.getItem(ASKED_HERE + chatId) === '1';
  } catch {
    return false;
  }
}
