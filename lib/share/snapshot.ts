import type { Chat, SharedMessage, ShareSnapshot, StoredMessage } from '@/lib/storage/types';

/**
 * A chat's current branch as a share shows it: text, thoughts and images, without any id of the owner's (images
 * are numbered; the numbers map to file ids only on the server). Answers still being written are left out.
 */
export function snapshotOf(
  chat: Pick<Chat, 'title' | 'model'>,
  branch: readonly StoredMessage[],
): { snapshot: ShareSnapshot; fileIds: string[] } {
  const fileIds: string[] = [];
  const indexOf = (fileId: string) => {
    const known = fileIds.indexOf(fileId);
    if (known >= 0) return known;
    fileIds.push(fileId);
    return fileIds.length - 1;
  };
  const messages: SharedMessage[] = [];
  for (const message of branch) {
    if (message.status === 'streaming') continue;
    const parts: SharedMessage['parts'] = message.parts.map((part) =>
      part.type === 'file' ? { type: 'image', index: indexOf(part.fileId), mediaType: part.mediaType } : { ...part },
    );
    messages.push({
      role: message.role,
      parts,
      status: message.status,
      finishReason: message.finishReason,
      model: message.model,
      createdAt: message.createdAt.toISOString(),
    });
  }
  return { snapshot: { title: chat.title, model: chat.model, messages }, fileIds };
}
