import { expect } from '@playwright/test';
import type { RecordedRequest } from '../../fake-gemini/types.ts';
import { FAKE_GEMINI_URL } from './env.ts';

export type { RecordedImage, RecordedRequest } from '../../fake-gemini/types.ts';

/** A tag no other test (or earlier run against a reused fake) can share. */
export function uniqueTag(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The generate requests the fake recorded under `[tag:<tag>]`, oldest first. */
export async function fakeRequests(tag: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${FAKE_GEMINI_URL}/__fake/requests?tag=${encodeURIComponent(tag)}`);
  if (!response.ok) throw new Error(`fake Gemini answered ${response.status} for its request log`);
  return (await response.json()) as RecordedRequest[];
}

/** Every request the fake recorded (ListModels calls carry no tag). */
export async function allFakeRequests(): Promise<RecordedRequest[]> {
  const response = await fetch(`${FAKE_GEMINI_URL}/__fake/requests`);
  if (!response.ok) throw new Error(`fake Gemini answered ${response.status} for its request log`);
  return (await response.json()) as RecordedRequest[];
}

/** Waits until the fake has recorded at least `count` requests under `tag`, and returns them. */
export async function waitForFakeRequests(tag: string, count = 1): Promise<RecordedRequest[]> {
  await expect
    .poll(async () => (await fakeRequests(tag)).length, { message: `fake Gemini requests tagged ${tag}` })
    .toBeGreaterThanOrEqual(count);
  return fakeRequests(tag);
}

/** The body of a recorded request as Gemini received it (empty when there is no such request). */
export function requestBody(record: RecordedRequest | undefined): {
  generationConfig?: Record<string, unknown>;
  systemInstruction?: { parts?: { text?: string }[] };
  contents?: { role?: string; parts?: { text?: string }[] }[];
} {
  return (record?.body ?? {}) as ReturnType<typeof requestBody>;
}
