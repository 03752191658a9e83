import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { rejectIgnoredPenalties } from '@/lib/openai/penalties';
import { type FakeGemini, startFakeGemini } from '../../fake-gemini/server.ts';
import { apiErrorOf } from '../../support/api-error.ts';

let fake: FakeGemini;
beforeAll(async () => {
  // The dropped penalties are the point here; the SDK's console warnings about them are noise.
  globalThis.AI_SDK_LOG_WARNINGS = false;
  // A key from before Google's deprecations, so gemini-2.5-pro still answers it.
  fake = await startFakeGemini({ apiKeys: [], legacyApiKeys: ['fake-gemini-key'] });
});
afterAll(async () => {
  globalThis.AI_SDK_LOG_WARNINGS = undefined;
  await fake.close();
});

/** What the real @ai-sdk/google puts in generationConfig for penalties on `modelId`. */
async function sentPenalties(modelId: string) {
  const google = createGoogleGenerativeAI({ apiKey: 'fake-gemini-key', baseURL: fake.baseURL });
  await generateText({ model: google(modelId), prompt: 'hi', presencePenalty: 0.5, frequencyPenalty: -0.5 });
  const body = fake.requests.at(-1)?.body as { generationConfig: Record<string, unknown> };
  return [body.generationConfig.presencePenalty, body.generationConfig.frequencyPenalty];
}

const request = (extra: object) =>
  parseChatCompletionRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('rejectIgnoredPenalties', () => {
  // If a new SDK version changes which models it drops penalties for, this fails before callers are misled.
  it.each([
    ['gemini-2.5-flash', true],
    ['gemini-2.5-flash-lite', true],
    ['gemini-2.5-pro', true],
    ['gemini-3-flash-preview', false],
    ['gemini-3.1-pro-preview', false],
    ['gemini-3.8-flash', false],
    ['gemma-3-27b-it', false],
  ])('agrees with the SDK about %s (refused: %s)', async (modelId, refused) => {
    const sent = await sentPenalties(modelId);
    expect(sent).toEqual(refused ? [undefined, undefined] : [0.5, -0.5]);
    const penalised = request({ presence_penalty: 0.5, frequency_penalty: -0.5 });
    if (refused) {
      const error = apiErrorOf(() => rejectIgnoredPenalties(penalised, modelId));
      expect([error.status, error.param, error.code]).toEqual([400, 'presence_penalty', 'unsupported_parameter']);
      expect(error.message).toContain(modelId);
    } else expect(() => rejectIgnoredPenalties(penalised, modelId)).not.toThrow();
  });

  it('lets neutral penalties through on any model, and names frequency_penalty when only it is set', () => {
    expect(() => rejectIgnoredPenalties(request({ presence_penalty: 0 }), 'gemini-2.5-flash')).not.toThrow();
    const error = apiErrorOf(() => rejectIgnoredPenalties(request({ frequency_penalty: 1 }), 'gemini-2.5-flash'));
    expect(error.param).toBe('frequency_penalty');
  });
});
