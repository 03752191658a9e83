import { generateText, Output, streamText } from 'ai';
import { BadRequestError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { irisChatOpenAI, irisOpenAICompatible } from '../support/clients.ts';
import { newTag, openai, upstreamRequests } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { recordingFetch } from '../support/recording-fetch.ts';

/**
 * Structured output through Iris with the three real clients, streamed and not: each client's own schema helper,
 * Gemini's JSON mode with the (sanitised) schema upstream, every response and chunk valid against OpenAI's spec.
 */

const MODEL = 'gemini-3-flash-preview';
const Weather = z.object({
  city: z.string(),
  tempC: z.number().int().positive(),
  sky: z.enum(['sunny', 'rain']),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  unit: z.literal('celsius'),
});
// What the fake synthesises from the schema (json-and-thoughts.ts): strings "example", numbers 1, first enum value.
const EXPECTED = { city: 'example', tempC: 1, sky: 'sunny', tags: ['example'], note: 'example', unit: 'celsius' };

interface SentConfig {
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
}

async function sentGenerationConfig(tag: string): Promise<SentConfig> {
  const [upstream] = await upstreamRequests(tag);
  const body = upstream?.body as { generationConfig?: SentConfig } | undefined;
  if (!body?.generationConfig) throw new Error(`no Gemini request recorded for ${tag}`);
  return body.generationConfig;
}

/** The schema Gemini got: the caller's, minus what Gemini refuses. */
function expectGeminiSchema(config: SentConfig): void {
  expect(config.responseMimeType).toBe('application/json');
  const schema = config.responseJsonSchema ?? {};
  expect(schema).not.toHaveProperty('$schema');
  expect(schema).toMatchObject({
    type: 'object',
    properties: { tempC: { type: 'integer', minimum: 1 }, unit: { enum: ['celsius'] } },
  });
  expect(schema.required).toEqual(expect.arrayContaining(['city', 'tempC', 'sky', 'tags', 'note', 'unit']));
}

describe('openai client', () => {
  it('parse() with zodResponseFormat returns the parsed object', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.parse({
      model: MODEL,
      messages: [{ role: 'user', content: `Weather in Paris? [tag:${tag}]` }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    const { parsed: _parsed, ...wireMessage } = completion.choices[0]?.message ?? {};
    expect(
      validateOpenAI('CreateChatCompletionResponse', {
        ...completion,
        choices: [{ ...completion.choices[0], message: wireMessage }],
      }),
    ).toEqual([]);
    expect(completion.choices[0]?.message.parsed).toEqual(EXPECTED);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expectGeminiSchema(await sentGenerationConfig(tag));
  });

  it('chat.completions.stream() with response_format streams valid chunks and parses the whole', async () => {
    const tag = newTag();
    const stream = openai().chat.completions.stream({
      model: MODEL,
      messages: [{ role: 'user', content: `Weather in Oslo? [tag:${tag}] [fake:chunks:5]` }],
      response_format: zodResponseFormat(Weather, 'weather'),
      stream_options: { include_usage: true },
    });
    const contentChunks: string[] = [];
    for await (const chunk of stream) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      const content = chunk.choices[0]?.delta.content;
      if (content) contentChunks.push(content);
    }
    expect(contentChunks.length).toBeGreaterThan(1);
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.parsed).toEqual(EXPECTED);
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.method).toBe('streamGenerateContent');
    expectGeminiSchema(await sentGenerationConfig(tag));
  });

  it('json_object asks Gemini for JSON without a schema', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Reply in JSON [tag:${tag}]` }],
      response_format: { type: 'json_object' },
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ answer: expect.any(String) });
    const config = await sentGenerationConfig(tag);
    expect(config.responseMimeType).toBe('application/json');
    expect(config).not.toHaveProperty('responseJsonSchema');
  });

  it('text sends neither', async () => {
    const tag = newTag();
    await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Plain [tag:${tag}]` }],
      response_format: { type: 'text' },
    });
    const config = await sentGenerationConfig(tag);
    expect(config).not.toHaveProperty('responseMimeType');
  });

  it('passes output that breaks the schema through unchanged, so the client raises, not Iris', async () => {
    const forced = '{"city":42}';
    const raw = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Weather? [fake:json:${forced}]` }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    expect(validateOpenAI('CreateChatCompletionResponse', raw)).toEqual([]);
    expect(raw.choices[0]?.message.content).toBe(forced);
    await expect(
      openai().chat.completions.parse({
        model: MODEL,
        messages: [{ role: 'user', content: `Weather? [fake:json:${forced}]` }],
        response_format: zodResponseFormat(Weather, 'weather'),
      }),
    ).rejects.toThrow(/city|expected/i);
  });

  it('refuses a malformed response_format with a 400 naming the param', async () => {
    const error = await openai()
      .chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'not ok!' } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    const apiError = error as BadRequestError;
    expect(apiError.param).toBe('response_format.json_schema.name');
    expect(validateOpenAI('ErrorResponse', { error: apiError.error })).toEqual([]);
  });
});

describe('@ai-sdk/openai-compatible', () => {
  const provider = (fetch: typeof globalThis.fetch) => irisOpenAICompatible(fetch, { supportsStructuredOutputs: true });

  it('generateText with Output.object gets a typed object', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const result = await generateText({
      model: provider(recorder.fetch)(MODEL),
      prompt: `Weather in Rome? [tag:${tag}]`,
      output: Output.object({ schema: Weather, name: 'weather' }),
      maxRetries: 0,
    });
    expect(result.output).toEqual(EXPECTED);
    const checked = await recorder.schemaErrors();
    expect(checked).toMatchObject({ errors: [], completions: 1 });
    expectGeminiSchema(await sentGenerationConfig(tag));
  });

  it('streamText with Output.object streams partial objects and ends with the whole', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const result = streamText({
      model: provider(recorder.fetch)(MODEL),
      prompt: `Weather in Lima? [tag:${tag}] [fake:chunks:6]`,
      output: Output.object({ schema: Weather, name: 'weather' }),
      maxRetries: 0,
      onError: () => {},
    });
    const partials: unknown[] = [];
    for await (const partial of result.partialOutputStream) partials.push(partial);
    expect(partials.length).toBeGreaterThan(1);
    expect(await result.output).toEqual(EXPECTED);
    const checked = await recorder.schemaErrors();
    expect(checked.errors).toEqual([]);
    expect(checked.chunks).toBeGreaterThan(3);
    expectGeminiSchema(await sentGenerationConfig(tag));
  });
});

describe('LangChain ChatOpenAI', () => {
  const chat = (fetch: typeof globalThis.fetch, streaming = false) => irisChatOpenAI(MODEL, fetch, { streaming });

  it('withStructuredOutput(zod, jsonSchema) returns the parsed object', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const structured = chat(recorder.fetch).withStructuredOutput(Weather, { method: 'jsonSchema', name: 'weather' });
    const weather = await structured.invoke(`Weather in Kyiv? [tag:${tag}]`);
    expect(weather).toEqual(EXPECTED);
    expect(await recorder.schemaErrors()).toMatchObject({ errors: [], completions: 1 });
    expectGeminiSchema(await sentGenerationConfig(tag));
  });

  it('streams with withStructuredOutput and still parses the whole', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const structured = chat(recorder.fetch, true).withStructuredOutput(Weather, {
      method: 'jsonSchema',
      name: 'weather',
    });
    const outputs: unknown[] = [];
    for await (const value of await structured.stream(`Weather in Quito? [tag:${tag}] [fake:chunks:4]`)) {
      outputs.push(value);
    }
    expect(outputs.at(-1)).toEqual(EXPECTED);
    const checked = await recorder.schemaErrors();
    expect(checked.errors).toEqual([]);
    expect(checked.chunks).toBeGreaterThan(2);
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.method).toBe('streamGenerateContent');
    expectGeminiSchema(await sentGenerationConfig(tag));
  });
});
