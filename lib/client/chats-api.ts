import type { UIMessage } from 'ai';
import type { MessageMetadata } from '@/lib/chat/ui-messages';
import { ApiRequestError, requestJson } from '@/lib/client/api-error';
import type { ChatSettings } from '@/lib/storage/types';

/** The browser's side of /api/chats and /api/chats/:id. */

export type { ChatSettings };

export interface ChatSummary {
  id: string;
  title: string;
  model: string;
  settings: ChatSettings;
  createdAt: string;
  updatedAt: string;
}

export type IrisUIMessage = UIMessage<MessageMetadata>;

export interface ChatWithMessages extends ChatSummary {
  messages: IrisUIMessage[];
}

export interface ChatPage {
  chats: ChatSummary[];
  nextCursor: string | null;
}

export function chatListUrl(options: { query?: string; cursor?: string | null; limit?: number } = {}): string {
  const search = new URLSearchParams();
  if (options.query) search.set('q', options.query);
  if (options.cursor) search.set('cursor', options.cursor);
  if (options.limit) search.set('limit', String(options.limit));
  const qs = search.toString();
  return qs ? `/api/chats?${qs}` : '/api/chats';
}

export function listChats(options: { query?: string; cursor?: string | null; limit?: number } = {}): Promise<ChatPage> {
  return requestJson<ChatPage>(chatListUrl(options));
}

/** The chat with its messages, or null when it does not exist (or belongs to someone else). */
export async function fetchChat(id: string): Promise<ChatWithMessages | null> {
  try {
    return await requestJson<ChatWithMessages>(`/api/chats/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) return null;
    throw error;
  }
}

export function updateChat(
  id: string,
  patch: { title?: string; model?: string; settings?: ChatSettings },
): Promise<ChatSummary> {
  return requestJson<ChatSummary>(`/api/chats/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify(patch),
  });
}

export function createChat(input: {
  id: string;
  model?: string;
  settings?: ChatSettings;
  title?: string;
}): Promise<ChatSummary> {
  return requestJson<ChatSummary>('/api/chats', { method: 'POST', body: JSON.stringify(input) });
}

export function deleteChat(id: string): Promise<void> {
  return requestJson<void>(`/api/chats/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
