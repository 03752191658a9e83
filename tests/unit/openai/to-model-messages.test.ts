import { describe, expect, it } from 'vitest';
import type { ModelTarget } from '@/lib/core/model-target';
import { ApiError } from '@/lib/errors';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { toCallInput } from '@/lib/openai/to-call-input';
import { toModelMessages } from '@/lib/openai/to-model-messages';
import { dataUrl, makePng } from '../../support/png.ts';

const limits = {
  maxBytes: 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024,
  fetchTimeoutMs: 1000,
  allowPrivateAddresses: false,
  maxPerRequest: 3,
};
const target = (id: string): ModelTarget => ({ asked: id, id, how: 'as-asked' });
const png = makePng(4, 4, 9);
const image = (url = dataUrl(png)) => ({ type: 'image_url' as const, image_url: { url } });

describe('toModelMessages', () => {
  it('joins system and developer turns into the instruction and keeps the conversation order', async () => {
    const converted = await toModelMessages(
      [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'developer', content: [{ type: 'text', text: 'English only.' }] },
        { role: 'user', content: [{ type: 'text', text: 'second' }, image()] },
      ],
      { limits },
    );
    expect(converted.instructions).toBe('Be terse.\n\nEnglish only.');
    expect(converted.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(converted.messages[1]).toEqual({ role: 'assistant', content: 'ok' });
    const last = converted.messages[2];
    expect(last?.content).toEqual([
      { type: 'text', text: 'second' },
      // The data URL's own base64, passed on as it came rather than decoded and re-encoded.
      { type: 'file', mediaType: 'image/png', data: { type: 'data', data: png.toString('base64') } },
    ]);
  });

  it('sends images of every turn, and image-only messages', async () => {
    const converted = await toModelMessages(
      [
        { role: 'user', content: [image()] },
        { role: 'assistant', content: 'a square' },
        { role: 'user', content: [image(), { type: 'text', text: 'same?' }] },
      ],
      { limits },
    );
    const files = converted.messages.flatMap((m) =>
      Array.isArray(m.content) ? m.content.filter((p) => p.type === 'file') : [],
    );
    expect(files).toHaveLength(2);
  });

  it('drops empty assistant turns, which Gemini would refuse', async () => {
    const converted = await toModelMessages(
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null },
        { role: 'user', content: 'b' },
      ],
      { limits },
    );
    expect(converted.messages.map((m) => m.role)).toEqual(['user', 'user']);
  });

  it('refuses a conversation without a user turn', async () => {
    await expect(toModelMessages([{ role: 'system', content: 'x' }], { limits })).rejects.toMatchObject({
      status: 400,
      code: 'missing_user_message',
    });
  });

  it('counts images across all messages against the limit, before fetching any', async () => {
    const messages = [
      { role: 'user' as const, content: [image(), image()] },
      { role: 'user' as const, content: [image('https://198.51.100.1/never-fetched.png'), image()] },
    ];
    const error = await toModelMessages(messages, { limits }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'too_many_images', param: 'messages' });
  });

  it('refuses images that together pass maxTotalBytes, naming the one that did', async () => {
    const messages = [{ role: 'user' as const, content: [image(), image(), image()] }];
    const error = await toModelMessages(messages, {
      limits: { ...limits, maxTotalBytes: png.byteLength * 2 + 1 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 413,
      code: 'images_too_large',
      param: 'messages[0].content[2].image_url.url',
    });
    expect((error as ApiError).message).toContain('MAX_TOTAL_IMAGE_BYTES');
    // Exactly at the limit is fine.
    const atLimit = await toModelMessages(messages, { limits: { ...limits, maxTotalBytes: png.byteLength * 3 } });
    const sent = atLimit.messages.flatMap((m) =>
      Array.isArray(m.content) ? m.content.filter((p) => p.type === 'file') : [],
    );
    expect(sent).toHaveLength(3);
  });

  it('reports the first bad image with its exact param', async () => {
    const error = await toModelMessages(
      [{ role: 'user', content: [{ type: 'text', text: 'x' }, image('data:image/png;base64,!!!')] }],
      { limits },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'messages[0].content[1].image_url.url' });
  });
});

describe('toCallInput', () => {
  it('maps OpenAI sampling parameters to the core settings', async () => {
    const request = parseChatCompletionRequest({
      model: 'models/gemini-x',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.5,
      top_p: 0.7,
      max_tokens: 300,
      max_completion_tokens: 200,
      stop: 'END',
      seed: 3,
    });
    const input = await toCallInput(request, target('gemini-x'), { limits });
    expect(input.model.id).toBe('gemini-x');
    expect(input.settings).toEqual({
      temperature: 0.5,
      topP: 0.7,
      topK: undefined,
      maxOutputTokens: 200,
      stopSequences: ['END'],
      seed: 3,
    });
  });

  it('falls back to max_tokens and leaves unset parameters unset', async () => {
    const request = parseChatCompletionRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 99,
      stop: [],
      temperature: null,
    });
    const input = await toCallInput(request, target('m'), { limits });
    expect(input.settings.maxOutputTokens).toBe(99);
    expect(input.settings.stopSequences).toBeUndefined();
    expect(input.settings.temperature).toBeUndefined();
  });
});
