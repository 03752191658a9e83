import { requestJson } from '@/lib/client/api-error';
import type { ChatWithMessages, IrisUIMessage } from '@/lib/client/chats-api';

/** The browser's side of the versions switch: POST /api/chats/:id/branch. */
export function chooseVersion(chatId: string, messageId: string): Promise<ChatWithMessages> {
  return requestJson<ChatWithMessages>(`/api/chats/${encodeURIComponent(chatId)}/branch`, {
    method: 'POST',
    body: JSON.stringify({ messageId }),
  });
}

/**
 * The shown messages with the versions the server knows of them now (after an edit or a regeneration added one),
 * leaving everything else of each message as it is, so a message the page is still writing is untouched.
 */
export function mergeVersions(shown: IrisUIMessage[], server: readonly IrisUIMessage[]): IrisUIMessage[] {
  const versions = new Map(server.map((m) => [m.id, m.metadata?.versions]));
  let changed = false;
  const merged = shown.map((message) => {
    if (!versions.has(message.id)) return message;
    const next = versions.get(message.id);
    if (JSON.stringify(next) === JSON.stringify(message.metadata?.versions)) return message;
    changed = true;
    return { ...message, metadata: { ...message.metadata, versions: next } };
  });
  return changed ? merged : shown;
}

/** The message before `messageId` in the shown branch: what an edit of it follows (null for the first). */
export function parentInBranch(shown: readonly IrisUIMessage[], messageId: string): string | null {
  const index = shown.findIndex((m) => m.id === messageId);
  return index > 0 ? (shown[index - 1]?.id ?? null) : null;
}
