import { randomUUID } from 'node:crypto';
import { ApiError, invalidRequest } from '@/lib/errors';
import type { StoredMessage } from '@/lib/storage/types';

/**
 * Where a turn goes in the chat's tree. Nothing is overwritten: an edited question becomes a sibling of the old
 * one (its answers stay, as the other version), and a regenerated answer a sibling of the old answer.
 */

export interface UserTurnRequest {
  /** The message the new question follows, as the browser's branch has it; null for a new first message. */
  parentId?: string | null;
  /** useChat's edit (`sendMessage({ messageId })`): a new version of that question. */
  messageId?: string;
}

/** The id and parent of a new question, given the chat's current branch. */
export function placeUserMessage(
  branch: readonly StoredMessage[],
  request: UserTurnRequest,
  messageId: string,
): { id: string; parentId: string | null | undefined } {
  if (request.parentId !== undefined) return { id: messageId, parentId: request.parentId };
  if (request.messageId) {
    const edited = branch.find((m) => m.id === request.messageId);
    if (edited?.role !== 'user') {
      throw new ApiError(404, 'No such question in this chat.', { code: 'message_not_found', param: 'messageId' });
    }
    // useChat sends the edit under the old message's id; the new version needs its own.
    return { id: messageId === edited.id ? randomUUID() : messageId, parentId: edited.parentId };
  }
  // Left to storage: the end of the current branch, read under the chat's lock.
  return { id: messageId, parentId: undefined };
}

/**
 * The question a regenerated answer answers: with a message id (useChat's `regenerate({ messageId })`), that
 * answer's question or that question; without one, the last question of the current branch.
 */
export function placeRegeneration(branch: readonly StoredMessage[], messageId: string | undefined): string {
  const target = messageId ? branch.find((m) => m.id === messageId) : branch.findLast((m) => m.role === 'user');
  if (!target) {
    if (messageId)
      throw new ApiError(404, 'No such message in this chat.', { code: 'message_not_found', param: 'messageId' });
    throw invalidRequest('There is no question to answer again.', 'trigger');
  }
  if (target.role === 'user') return target.id;
  const question = branch.find((m) => m.id === target.parentId);
  if (question?.role !== 'user') throw invalidRequest('There is no question before that answer.', 'messageId');
  return question.id;
}
