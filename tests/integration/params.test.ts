import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { irisUrl, newTag, openai, postChat, upstreamRequests } from '../support/iris.ts';
import { makeMp3, makePdf, makeWav } from '../support/media-samples.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { dataUrl, makePng } from '../support/png.ts';

/** n, penalties, seed/stop, audio and PDF parts, image detail and logprobs, through the official openai client. */

const MODEL = 'gemini-3-flash-preview';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
type GenerationConfig = Record<string, unknown>;
const generationConfigOf = (body: unknown) => (body as { generationConfig?: GenerationConfig }).generationConfig ?? {};

async function expectError(response: Response, status: number, code: string, param: string | null) {
  const body = await response.json();
  // An OpenAI envelope, never an array (Google's own compat layer sometimes wraps errors in one).
  expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
  expect({ status: response.status, code: body.error.code, param: body.error.param }).toEqual({ status, code, param });
  return body.error as { message: string };
}

describe('n: several candidates', () => {
  it('answers n=2 with two choices from two Gemini calls, seeds s and s+1, usage summed', async () => {
    const tag = newTag();
    const single = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `two answers [tag:${newTag()}]` }],
      seed: 7,
    });
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `two answers [tag:${tag}]` }],
      n: 2,
      seed: 7,
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(completion.choices[0]?.message.content).toContain('Seed 7.');
    expect(completion.choices[1]?.message.content).toContain('Seed 8.');
    expect(completion.choices.map((c) => c.finish_reason)).toEqual(['stop', 'stop']);

    const upstream = await upstreamRequests(tag);
    expect(upstream.map((r) => generationConfigOf(r.body).seed).sort()).toEqual([7, 8]);
    // Each call bills its own prompt, so the prompt is counted twice.
    expect(completion.usage?.prompt_tokens).toBe(2 * (single.usage?.prompt_tokens ?? 0));
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('streams n=2 with each choice indexed, each finishing on its own, and usage once at the very end', async () => {
    const tag = newTag();
    const stream = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `two streams [tag:${tag}] [fake:chunks:3]` }],
      n: 2,
      seed: 41,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      chunks.push(chunk);
    }
    const texts = ['', ''];
    const roles: number[] = [];
    const finishes: number[] = [];
    for (const chunk of chunks) {
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.delta.role === 'assistant') roles.push(choice.index);
        if (choice.finish_reason !== null) finishes.push(choice.index);
      }
    }
    expect(roles.sort()).toEqual([0, 1]);
    expect(finishes.sort()).toEqual([0, 1]);
    expect(texts[0]).toContain('Seed 41.');
    expect(texts[1]).toContain('Seed 42.');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    // Usage only on the final chunk, which has no choices; null on every other one.
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(await upstreamRequests(tag)).toHaveLength(2);
  });

  it('streams n=2 without usage when it is not asked for, ending with one [DONE]', async () => {
    const response = await postChat({
      model: MODEL,
      messages: [{ role: 'user', content: 'no usage [fake:chunks:2]' }],
      n: 2,
      stream: true,
    });
    const text = await response.text();
    expect(text.match(/data: \[DONE\]/g)).toHaveLength(1);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('"usage"');
  });

  it('fails the whole request with one OpenAI error when the candidates fail upstream', async () => {
    const tag = newTag();
    const response = await postChat({
      model: MODEL,
      messages: [{ role: 'user', content: `busy [tag:${tag}] [fake:429]` }],
      n: 3,
      stream: true,
    });
    // Streamed too: the failure comes before the first byte, so it is still a real HTTP status.
    await expectError(response, 429, 'rate_limit_exceeded', null);
    expect((await upstreamRequests(tag)).length).toBeGreaterThanOrEqual(1);
  });

  it('refuses n above 8, Gemini’s own candidate limit', async () => {
    await expectError(
      await postChat({ model: MODEL, messages: [{ role: 'user', content: 'x' }], n: 9 }),
      400,
      'invalid_value',
      'n',
    );
  });
});

describe('sampling parameters', () => {
  it('forwards penalties, seed and stop sequences into generationConfig, and ignores caller metadata', async () => {
    const tag = newTag();
    await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `penalties [tag:${tag}]` }],
      presence_penalty: 0.6,
      frequency_penalty: -0.4,
      seed: 123,
      stop: ['END', 'STOP'],
      user: 'caller-7',
      metadata: { project: 'secret-project' },
      store: true,
    });
    const [upstream] = await upstreamRequests(tag);
    expect(generationConfigOf(upstream?.body)).toMatchObject({
      presencePenalty: 0.6,
      frequencyPenalty: -0.4,
      seed: 123,
      stopSequences: ['END', 'STOP'],
    });
    const wire = JSON.stringify(upstream?.body);
    expect(wire).not.toContain('caller-7');
    expect(wire).not.toContain('secret-project');
  });

  it('refuses penalties for a Gemini 2.5 model, whose Gemini API would silently drop them, before calling it', async () => {
    const tag = newTag();
    const error = await expectError(
      await postChat({
        model: 'gemini-2.5-flash-lite',
        messages: [{ role: 'user', content: `penalised [tag:${tag}]` }],
        presence_penalty: 1,
      }),
      400,
      'unsupported_parameter',
      'presence_penalty',
    );
    expect(error.message).toContain('gemini-2.5-flash-lite');
    expect(await upstreamRequests(tag)).toEqual([]);
  });

  it('refuses logprobs with the reason, as the SDK cannot ask Gemini for them', async () => {
    const error = await expectError(
      await postChat({ model: MODEL, messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 3 }),
      400,
      'unsupported_parameter',
      'logprobs',
    );
    expect(error.message).toMatch(/AI SDK/);
    await expect(
      openai().chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'x' }],
        logprobs: true,
      }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('audio and PDF input', () => {
  it('sends a WAV, an MP3 and a PDF to Gemini intact, as inline data of the right type', async () => {
    const tag = newTag();
    const wav = makeWav(800, 3);
    const mp3 = makeMp3(4, 20);
    const pdf = makePdf('Iris params');
    const content: ChatCompletionContentPart[] = [
      { type: 'text', text: `What do you hear and read? [tag:${tag}]` },
      { type: 'input_audio', input_audio: { data: b64(wav), format: 'wav' } },
      { type: 'input_audio', input_audio: { data: b64(mp3), format: 'mp3' } },
      { type: 'file', file: { file_data: `data:application/pdf;base64,${b64(pdf)}`, filename: 'params.pdf' } },
    ];
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content }],
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.images).toEqual([
      { mimeType: 'audio/wav', bytes: wav.length, sha256: sha256(wav) },
      { mimeType: 'audio/mp3', bytes: mp3.length, sha256: sha256(mp3) },
      { mimeType: 'application/pdf', bytes: pdf.length, sha256: sha256(pdf) },
    ]);
    expect(completion.choices[0]?.message.content).toContain(sha256(pdf).slice(0, 12));
  });

  it('answers mismatched audio bytes with a 400 naming the data and what it really is, before calling Gemini', async () => {
    const tag = newTag();
    const error = await expectError(
      await postChat({
        model: MODEL,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: `mislabelled [tag:${tag}]` },
              { type: 'input_audio', input_audio: { data: b64(makeMp3()), format: 'wav' } },
            ],
          },
        ],
      }),
      400,
      'media_type_mismatch',
      'messages[0].content[1].input_audio.data',
    );
    expect(error.message).toContain('MP3 audio');
    expect(await upstreamRequests(tag)).toEqual([]);
  });

  it('refuses file_id (there is no Files API) and a PDF that is not one', async () => {
    await expectError(
      await postChat({
        model: MODEL,
        messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-123' } }] }],
      }),
      400,
      'unsupported_parameter',
      'messages[0].content[0].file.file_id',
    );
    await expectError(
      await postChat({
        model: MODEL,
        messages: [
          {
            role: 'user',
            content: [{ type: 'file', file: { file_data: `data:application/pdf;base64,${b64(makeWav())}` } }],
          },
        ],
      }),
      400,
      'media_type_mismatch',
      'messages[0].content[0].file.file_data',
    );
  });
});

describe('image detail', () => {
  const withImages = (tag: string, details: ('low' | 'high' | 'auto' | undefined)[]) => ({
    model: MODEL,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: `detail [tag:${tag}]` },
          ...details.map((detail, k) => ({
            type: 'image_url',
            image_url: { url: dataUrl(makePng(8, 8, k + 20)), ...(detail ? { detail } : {}) },
          })),
        ],
      },
    ],
  });

  it.each([
    [['low', 'low'], 'MEDIA_RESOLUTION_LOW'],
    [['low', 'high'], 'MEDIA_RESOLUTION_HIGH'],
    [['low', undefined], undefined],
    [['auto'], undefined],
  ] as const)('%j → generationConfig.mediaResolution %s', async (details, expected) => {
    const tag = newTag();
    const response = await postChat(withImages(tag, [...details]));
    expect(response.status).toBe(200);
    const [upstream] = await upstreamRequests(tag);
    expect(generationConfigOf(upstream?.body).mediaResolution).toBe(expected);
  });
});

describe('GET /v1/models/{id}', () => {
  it('still answers one model', async () => {
    const response = await fetch(`${irisUrl()}/v1/models/${MODEL}`, {
      headers: { authorization: `Bearer ${GATEWAY_KEYS[0]}` },
    });
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(validateOpenAI('Model', body)).toEqual([]);
    expect(body.id).toBe(MODEL);
  });
});
