import { ApiRequestError, requestJson } from '@/lib/client/api-error';

/** The browser's side of share links, export and import. */

export interface ShareLink {
  id: string;
  url: string;
  createdAt: string;
}

const sharePath = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}/share`;

/** The chat's link, or null when it is not shared. */
export async function fetchShare(chatId: string): Promise<ShareLink | null> {
  const answer = await requestJson<({ shared: true } & ShareLink) | { shared: false }>(sharePath(chatId));
  return answer.shared ? { id: answer.id, url: answer.url, createdAt: answer.createdAt } : null;
}

export function createShare(chatId: string): Promise<ShareLink> {
  return requestJson<ShareLink>(sharePath(chatId), { method: 'POST' });
}

export function revokeShare(chatId: string): Promise<void> {
  return requestJson<void>(sharePath(chatId), { method: 'DELETE' });
}

export const exportUrl = (chatId: string, format: 'json' | 'markdown') =>
  `/api/chats/${encodeURIComponent(chatId)}/export?format=${format}`;

/** Starts a download the way a link with `download` does, so the page stays where it is. */
export function download(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Imports a file chosen by the user: Iris's chat JSON or ChatGPT's conversations.json. */
export async function importChatsFile(file: File): Promise<string[]> {
  const text = await file.text();
  try {
    JSON.parse(text);
  } catch {
    throw new ApiRequestError(`${file.name} is not a JSON file.`, 400, 'invalid_json');
  }
  const { ids } = await requestJson<{ ids: string[] }>('/api/chats/import', { method: 'POST', body: text });
  return ids;
}
