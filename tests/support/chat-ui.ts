import { GATEWAY_KEYS } from './constants.ts';
import { irisUrl, parseSse } from './iris.ts';
import { makePng } from './png.ts';

/** Talks to the chat UI's routes the way the browser does (here with a Bearer key; the cookie path has its own tests). */

export const bearer = (key: string = GATEWAY_KEYS[0]) => ({ authorization: `Bearer ${key}` });

export async function uploadImage(bytes: Buffer = makePng(24, 24, Math.floor(Math.random() * 1000)), key?: string) {
  const response = await fetch(`${irisUrl()}/api/files`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'image/png' },
    body: new Uint8Array(bytes),
  });
  return { response, body: (await response.json()) as { id: string; url: string; width: number; height: number } };
}

/** A user message as useChat builds it: the images (uploaded file URLs) first, then the text. */
export function userMessage(text: string, options: { id?: string; imageUrls?: string[] } = {}) {
  const parts: UiPart[] = (options.imageUrls ?? []).map((url) => ({ type: 'file', mediaType: 'image/png', url }));
  if (text) parts.push({ type: 'text', text });
  return { id: options.id ?? `m${Math.random().toString(36).slice(2, 12)}`, role: 'user' as const, parts };
}

export interface UiPart {
  type: string;
  text?: string;
  url?: string;
  mediaType?: string;
}

export function sendChat(
  body: {
    id: string;
    message?: { id: string; role: 'user'; parts: UiPart[] };
    trigger?: string;
    messageId?: string;
    parentId?: string | null;
    model?: string;
  },
  init: { key?: string; signal?: AbortSignal } = {},
) {
  return fetch(`${irisUrl()}/api/chat`, {
    method: 'POST',
    headers: { ...bearer(init.key), 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: init.signal,
  });
}

/** The UI message stream's chunks, and the answer's text assembled from its deltas. */
export async function readUiStream(response: Response) {
  const events = parseSse(await response.text());
  const chunks = events
    .filter((e) => e.data !== undefined && e.data !== '[DONE]')
    .map(
      (e) => JSON.parse(e.data as string) as { type: string; delta?: string; errorText?: string; messageId?: string },
    );
  const text = chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');
  return { chunks, text, done: events.at(-1)?.data === '[DONE]' };
}

export async function getChat(id: string, key?: string) {
  const response = await fetch(`${irisUrl()}/api/chats/${id}`, { headers: bearer(key) });
  return { response, body: response.ok ? ((await response.json()) as ChatView) : undefined };
}

export interface ChatView {
  id: string;
  title: string;
  model: string;
  messages: {
    id: string;
    role: string;
    parts: UiPart[];
    metadata?: { status?: string; finishReason?: string; versions?: string[] };
  }[];
}
