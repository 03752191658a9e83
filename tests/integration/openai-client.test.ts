import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageServer, startImageServer } from '../support/image-server.ts';
import { newTag, openai, upstreamRequests } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { dataUrl, makePng } from '../support/png.ts';

/** The official `openai` client, pointed at Iris, against the fake Gemini: what a developer would do. */

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
let images: ImageServer;

beforeAll(async () => {
  images = await startImageServer();
});
afterAll(async () => {
  await images.close();
});

describe('openai client, non-streaming', () => {
  it('answers a text question with a schema-valid chat.completion', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: `Say hello [tag:${tag}]` }],
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gemini-3-flash-preview');
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('stop');
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.refusal).toBeNull();
    expect(choice?.message.content).toContain('no images');
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.method).toBe('generateContent');
    expect(upstream?.model).toBe('gemini-3-flash-preview');
  });

  it('sends a data-URL image to Gemini intact, as inline bytes', async () => {
    const tag = newTag();
    const png = makePng(64, 48, 1);
    const completion = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `What is in this image? [tag:${tag}]` },
            { type: 'image_url', image_url: { url: dataUrl(png) } },
          ],
        },
      ],
    });
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.images).toEqual([{ mimeType: 'image/png', bytes: png.length, sha256: sha256(png) }]);
    expect(completion.choices[0]?.message.content).toContain(sha256(png).slice(0, 12));
  });

  it('fetches an http image itself and never hands Gemini a URL; the bytes decide the type', async () => {
    const tag = newTag();
    const png = makePng(32, 32, 2);
    images.serve('/photo.jpg', png, 'image/jpeg');
    await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `Describe [tag:${tag}]` },
            { type: 'image_url', image_url: { url: images.url('/photo.jpg'), detail: 'high' } },
          ],
        },
      ],
    });
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.fileUris).toEqual([]);
    expect(upstream?.images).toEqual([{ mimeType: 'image/png', bytes: png.length, sha256: sha256(png) }]);
  });

  it('follows a redirect to an image', async () => {
    const tag = newTag();
    const png = makePng(8, 8, 3);
    images.serve('/final.png', png);
    images.redirect('/short', images.url('/final.png'));
    await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: images.url('/short') } },
            { type: 'text', text: `[tag:${tag}]` },
          ],
        },
      ],
    });
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.images[0]?.sha256).toBe(sha256(png));
  });

  it('keeps a multi-turn conversation: system → instruction, earlier images still sent, assistant → model turn', async () => {
    const tag = newTag();
    const first = makePng(16, 16, 4);
    const second = makePng(16, 16, 5);
    await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Answer in English.' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: dataUrl(first) } }] },
        { role: 'assistant', content: 'A gradient.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: `And this one? [tag:${tag}]` },
            { type: 'image_url', image_url: { url: dataUrl(second) } },
          ],
        },
      ],
    });
    const [upstream] = await upstreamRequests(tag);
    const body = upstream?.body as {
      systemInstruction?: { parts: { text: string }[] };
      contents: { role: string; parts: Record<string, unknown>[] }[];
    };
    expect(body.systemInstruction?.parts.map((p) => p.text).join('\n')).toContain('You are terse.');
    expect(body.systemInstruction?.parts.map((p) => p.text).join('\n')).toContain('Answer in English.');
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(body.contents[1]?.parts).toEqual([{ text: 'A gradient.' }]);
    expect(upstream?.images.map((i) => i.sha256)).toEqual([sha256(first), sha256(second)]);
  });

  it('maps sampling parameters onto generationConfig', async () => {
    const tag = newTag();
    await openai().chat.completions.create({
      model: 'models/gemini-3-flash-preview',
      messages: [{ role: 'user', content: `params [tag:${tag}]` }],
      temperature: 0.3,
      top_p: 0.8,
      max_tokens: 100,
      max_completion_tokens: 64,
      stop: 'END',
      seed: 42,
      user: 'someone@example.com',
    });
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.model).toBe('gemini-3-flash-preview');
    const body = upstream?.body as { generationConfig: Record<string, unknown> };
    expect(body.generationConfig).toMatchObject({
      temperature: 0.3,
      topP: 0.8,
      maxOutputTokens: 64,
      stopSequences: ['END'],
      seed: 42,
    });
    expect(JSON.stringify(upstream?.body)).not.toContain('someone@example.com');
  });

  it('serves a retired model id by the newest listed model of its tier and reports the model actually served', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: 'gemini-1.5-pro-latest',
      messages: [{ role: 'user', content: `old id [tag:${tag}]` }],
    });
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.model).toBe('gemini-3.1-pro-preview');
    expect(completion.model).toBe('gemini-3.1-pro-preview');
  });

  it('counts thinking tokens inside completion_tokens and reports them as reasoning_tokens', async () => {
    const completion = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'think first [fake:thinking]' }],
    });
    const usage = completion.usage;
    const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(reasoning);
    // Gemini's total counts prompt, answer and thoughts; OpenAI's completion_tokens must hold the thoughts.
    expect((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0)).toBe(usage?.total_tokens);
    expect(completion.choices[0]?.message.content).not.toContain('thought');
  });
});

describe('openai client, streaming', () => {
  it('streams deltas, a finish_reason and a usage chunk; every chunk is schema-valid', async () => {
    const tag = newTag();
    const stream = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: `Stream please [tag:${tag}] [fake:chunks:5]` }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toContain('no images');
    expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThanOrEqual(4);
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishes.map((c) => c.choices[0]?.finish_reason)).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.method).toBe('streamGenerateContent');
  });

  it('streams with images by URL and data URL in one message', async () => {
    const tag = newTag();
    const a = makePng(20, 20, 6);
    const b = makePng(20, 20, 7);
    images.serve('/a.png', a);
    const stream = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      stream: true,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `Compare [tag:${tag}]` },
            { type: 'image_url', image_url: { url: images.url('/a.png') } },
            { type: 'image_url', image_url: { url: dataUrl(b) } },
          ],
        },
      ],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('2 images');
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.images.map((i) => i.sha256)).toEqual([sha256(a), sha256(b)]);
  });

  it('omits usage from chunks when include_usage is not asked for', async () => {
    const stream = await openai().chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'no usage please' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('assembles a final completion with the stream helper', async () => {
    const runner = openai().chat.completions.stream({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'helper' }],
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toContain('Last prompt');
    expect(final.choices[0]?.finish_reason).toBe('stop');
  });
});
