import { randomUUID } from 'node:crypto';
import { parseSse } from './iris.ts';

/** Talks to one Iris's chat routes as the browser does (with a Bearer key), for the tests of answers that live on. */

export const newChatId = () => `c${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const newMessageId = () => `m${randomUUID().replaceAll('-', '').slice(0, 20)}`;

export interface UiChunk {
  type: string;
  delta?: string;
  messageId?: string;
  messageMetadata?: { status?: string; finishReason?: string; error?: string };
}

export interface StoredAnswer {
  id: string;
  parts: { type: string; text?: string }[];
  metadata?: { status?: string; finishReason?: string | null; error?: string | null };
}

export function liveClient(baseUrl: string, key: string) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  return {
    ask(chatId: string, text: string, signal?: AbortSignal) {
      return fetch(`${baseUrl}/api/chat`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          id: chatId,
          message: { id: newMessageId(), role: 'user', parts: [{ type: 'text', text }] },
        }),
        signal,
      });
    },
    follow(chatId: string, signal?: AbortSignal) {
      return fetch(`${baseUrl}/api/chat/${chatId}/stream`, { headers, signal });
    },
    stop(chatId: string) {
      return fetch(`${baseUrl}/api/chat/${chatId}/stream`, { method: 'DELETE', headers });
    },
    async answer(chatId: string): Promise<StoredAnswer | undefined> {
      const response = await fetch(`${baseUrl}/api/chats/${chatId}`, { headers });
      if (!response.ok) return undefined;
      const chat = (await response.json()) as { messages: (StoredAnswer & { role: string })[] };
      return chat.messages.findLast((m) => m.role === 'assistant');
    },
    /** Polls until the chat's last answer is no longer being written. */
    async settled(chatId: string, timeoutMs = 15_000): Promise<StoredAnswer> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = await this.answer(chatId);
        if (answer && answer.metadata?.status !== 'streaming') return answer;
        if (Date.now() > deadline) throw new Error(`the answer in ${chatId} is still ${answer?.metadata?.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/**
 * Reads a UI message stream as it comes: `until` waits for the text so far to pass a test (or the stream to end),
 * `rest` reads it to its end; both return everything read so far.
 */
export function streamReader(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let raw = '';
  let ended = false;
  const read = async (until: (text: string) => boolean) => {
    while (!ended && !until(textOf(raw))) {
      const { value, done } = await reader.read();
      if (done) ended = true;
      else raw += decoder.decode(value, { stream: true });
    }
    return { chunks: chunksOf(raw), text: textOf(raw) };
  };
  return { until: read, rest: () => read(() => false) };
}

/** Reads until the answer's first text has arrived; the rest stays to be read. */
export async function readUntil(response: Response, until: (text: string) => boolean) {
  const stream = streamReader(response);
  const { text } = await stream.until(until);
  return { text, rest: stream.rest };
}

/** The chunks of a whole UI message stream, and its text. */
export async function readAll(response: Response): Promise<{ chunks: UiChunk[]; text: string }> {
  return streamReader(response).rest();
}

function chunksOf(raw: string): UiChunk[] {
  const complete = raw.slice(0, raw.lastIndexOf('\n\n') + 2);
  return parseSse(complete)
    .filter((e) => e.data !== undefined && e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data as string) as UiChunk);
}

function textOf(raw: string): string {
  return chunksOf(raw)
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');
}

export const answerText = (answer: StoredAnswer | undefined) =>
  (answer?.parts ?? [])
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('');
