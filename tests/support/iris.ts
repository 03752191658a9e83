import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { inject } from 'vitest';
import type { RecordedRequest } from '../fake-gemini/server.ts';
import { GATEWAY_KEYS } from './constants.ts';

export const irisUrl = () => inject('irisUrl');

export function openai(apiKey: string = GATEWAY_KEYS[0]): OpenAI {
  return new OpenAI({ baseURL: `${irisUrl()}/v1`, apiKey, maxRetries: 0, timeout: 20_000 });
}

/** A marker the fake Gemini files the request under, so parallel tests find their own upstream calls. */
export function newTag(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

export async function upstreamRequests(tag: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${inject('fakeGeminiOrigin')}/__fake/requests?tag=${encodeURIComponent(tag)}`);
  return (await response.json()) as RecordedRequest[];
}

export async function postChat(
  body: unknown,
  init: { key?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {},
) {
  const key = init.key === undefined ? GATEWAY_KEYS[0] : init.key;
  return fetch(`${irisUrl()}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...init.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

export interface SseEvent {
  data?: string;
  comment?: string;
}

/** Splits an SSE body into events exactly as framed on the wire (blank-line separated). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      if (block.startsWith(':')) return { comment: block.slice(1).trim() };
      if (!block.startsWith('data: ')) throw new Error(`unexpected SSE block: ${JSON.stringify(block.slice(0, 80))}`);
      return { data: block.slice('data: '.length) };
    });
}

export function jsonEvents(events: SseEvent[]): unknown[] {
  return events.filter((e) => e.data !== undefined && e.data !== '[DONE]').map((e) => JSON.parse(e.data as string));
}
