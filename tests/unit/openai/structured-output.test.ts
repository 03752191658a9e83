import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText, streamText } from 'ai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import { sanitizeResponseSchema } from '@/lib/openai/response-schema';
import { structuredOutput } from '@/lib/openai/structured-output';
import { jsonAnswerText, synthesize, validateResponseJsonSchema } from '../../fake-gemini/json-and-thoughts.ts';
import { apiErrorOf } from '../../support/api-error.ts';
import { fakeGeminiForTests } from '../../support/fake-gemini-lifecycle.ts';

const base = { model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'hi' }] };
const rejection = (extra: object) => apiErrorOf(() => parseChatCompletionRequest({ ...base, ...extra }));

// What the openai client's zodResponseFormat sends for a typical zod 4 schema: $schema, const, exclusiveMinimum,
// pattern and an email format, none of which Gemini's responseJsonSchema takes.
const Weather = z.object({
  city: z.string(),
  tempC: z.number().int().positive(),
  sky: z.enum(['sunny', 'rain']),
  tags: z.array(z.string()).max(3),
  note: z.string().nullable(),
  unit: z.literal('celsius'),
  station: z.object({ id: z.string(), email: z.string().email() }).nullable(),
  observedAt: z.iso.datetime(),
});
const weatherFormat = zodResponseFormat(Weather, 'weather');
const weatherSchema = weatherFormat.json_schema.schema as Record<string, unknown>;

describe('response_format validation', () => {
  it('accepts text, json_object and json_schema (strict or not, with or without a schema)', () => {
    expect(parseChatCompletionRequest({ ...base, response_format: { type: 'text' } }).response_format).toEqual({
      type: 'text',
    });
    expect(() => parseChatCompletionRequest({ ...base, response_format: { type: 'json_object' } })).not.toThrow();
    expect(() => parseChatCompletionRequest({ ...base, response_format: weatherFormat })).not.toThrow();
    expect(() =>
      parseChatCompletionRequest({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'x' } } }),
    ).not.toThrow();
  });

  it.each([
    [{ response_format: { type: 'yaml' } }, 'response_format.type', /"text", "json_object", "json_schema"/],
    [{ response_format: { type: 'json_schema' } }, 'response_format.json_schema', /required/],
    [{ response_format: { type: 'json_schema', json_schema: {} } }, 'response_format.json_schema.name', /required/],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'has spaces' } } },
      'response_format.json_schema.name',
      /letters, digits/,
    ],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: 'object' } } },
      'response_format.json_schema.schema',
      /must be/,
    ],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'x', strict: 'yes' } } },
      'response_format.json_schema.strict',
      /boolean/,
    ],
  ])('refuses %j with a 400 naming %s', (extra, param, message) => {
    const error = rejection(extra);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_value');
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });
});

describe('sanitizeResponseSchema', () => {
  it("turns zodResponseFormat's schema into one Gemini's contract accepts, keeping its shape", () => {
    // The fake refuses exactly what Gemini's documented subset leaves out; the raw schema must fail it.
    const asSent = (schema: unknown) => ({
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema },
    });
    expect(validateResponseJsonSchema(asSent(weatherSchema))).toMatch(/\$schema/);
    const clean = sanitizeResponseSchema(weatherSchema);
    expect(validateResponseJsonSchema(asSent(clean))).toBeNull();
    const props = clean.properties as Record<string, Record<string, unknown>>;
    expect(clean.required).toEqual(weatherSchema.required);
    expect(props.tempC).toEqual({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(props.unit).toEqual({ type: 'string', enum: ['celsius'] });
    expect(props.sky).toEqual({ type: 'string', enum: ['sunny', 'rain'] });
    expect(props.tags).toEqual({ type: 'array', maxItems: 3, items: { type: 'string' } });
    expect(props.note).toEqual({ type: ['string', 'null'] });
    expect(props.observedAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(props.observedAt).not.toHaveProperty('pattern');
    expect(props.station).toMatchObject({
      anyOf: [{ type: 'object', properties: { email: { type: 'string' } } }, { type: 'null' }],
    });
  });

  it('rewrites definitions, $ref siblings, allOf, tuples and nullable; keeps properties named like keywords', () => {
    const clean = sanitizeResponseSchema({
      type: 'object',
      definitions: { Point: { type: 'object', properties: { x: { type: 'number', exclusiveMaximum: 5 } } } },
      properties: {
        at: { $ref: '#/definitions/Point', description: 'where' },
        also: { allOf: [{ $ref: '#/definitions/Point' }], description: 'pydantic style' },
        both: { allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: {} } }] },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
        maybe: { type: 'string', nullable: true, minLength: 2, default: 'x' },
        pattern: { type: 'string', pattern: '^a' },
      },
      additionalProperties: false,
    });
    expect(clean.$defs).toEqual({ Point: { type: 'object', properties: { x: { type: 'number', maximum: 5 } } } });
    expect(clean).not.toHaveProperty('definitions');
    const props = clean.properties as Record<string, unknown>;
    expect(props.at).toEqual({ $ref: '#/$defs/Point' });
    expect(props.also).toEqual({ $ref: '#/$defs/Point' });
    expect(props.both).toEqual({ properties: { a: { type: 'string' }, b: {} }, required: ['a'] });
    expect(props.pair).toEqual({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] });
    expect(props.maybe).toEqual({ type: ['string', 'null'] });
    expect(props.pattern).toEqual({ type: 'string' });
    expect(clean.additionalProperties).toBe(false);
  });
});

describe('structuredOutput', () => {
  it('refuses a schema nested thousands of levels deep with a 400, instead of overflowing the stack', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 3000; i++) schema = { type: 'object', properties: { a: schema } };
    let refused: unknown;
    try {
      structuredOutput({ type: 'json_schema', json_schema: { name: 'deep', schema } });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      status: 400,
      code: 'schema_too_deep',
      param: 'response_format.json_schema.schema',
    });
  });

  it('asks for JSON, with the sanitised schema for json_schema, and nothing for text', async () => {
    expect(structuredOutput(undefined)).toBeUndefined();
    expect(structuredOutput({ type: 'text' })).toBeUndefined();
    expect(await structuredOutput({ type: 'json_object' })?.responseFormat).toEqual({ type: 'json' });
    const format = await structuredOutput({
      type: 'json_schema',
      json_schema: { name: 'weather', description: 'today', schema: weatherSchema, strict: true },
    })?.responseFormat;
    expect(format).toEqual({
      type: 'json',
      name: 'weather',
      description: 'today',
      schema: sanitizeResponseSchema(weatherSchema),
    });
  });

  it('hands the model text back unchanged, even when it is not JSON', async () => {
    const output = structuredOutput({ type: 'json_object' });
    const context = {
      response: { id: 'r', timestamp: new Date(), modelId: 'm' },
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      finishReason: 'length',
    } as const;
    // biome-ignore lint/suspicious/noExplicitAny: the context's usage type carries optional details not needed here
    await expect(output?.parseCompleteOutput({ text: '{"cut": "in ha' }, context as any)).resolves.toBe(
      '{"cut": "in ha',
    );
  });
});

describe('the fake Gemini in JSON mode', () => {
  it('synthesises a value that satisfies the schema', () => {
    const clean = sanitizeResponseSchema(weatherSchema);
    const value = synthesize(clean, clean, 0);
    const parsed = Weather.safeParse(value);
    // Gemini cannot be told about the email format, so the fake's "example" is not an email; everything else fits.
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['station.email']);
    expect(value).toMatchObject({ city: 'example', tempC: 1, sky: 'sunny', tags: ['example'], unit: 'celsius' });
  });

  it('follows $refs, picks the first non-null branch and honours minItems and bounds', () => {
    const schema = {
      $defs: { Leaf: { type: 'integer', minimum: 5 } },
      type: 'object',
      properties: {
        leaf: { $ref: '#/$defs/Leaf' },
        pick: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
        many: { type: 'array', minItems: 2, items: { type: 'number', maximum: 0.5 } },
      },
    };
    expect(synthesize(schema, schema, 0)).toEqual({ leaf: 5, pick: true, many: [0.5, 0.5] });
  });

  it('answers plain text without JSON mode, and a forced [fake:json:…] value verbatim', () => {
    expect(jsonAnswerText({}, 'hi', 'text')).toBeNull();
    expect(JSON.parse(jsonAnswerText({ responseMimeType: 'application/json' }, 'hi', 'text') ?? '')).toEqual({
      answer: 'text',
    });
    expect(jsonAnswerText(null, 'give [fake:json:{"a":[1]}] now', 'x')).toBe('{"a":[1]}');
    expect(jsonAnswerText(null, 'give [fake:json:not json]', 'x')).toBe('not json');
  });
});

describe('through the real @ai-sdk/google against the fake', () => {
  const fake = fakeGeminiForTests();
  const model = () => createGoogleGenerativeAI({ apiKey: 'fake-gemini-key', baseURL: fake().baseURL })(base.model);
  const output = () =>
    structuredOutput({ type: 'json_schema', json_schema: { name: 'weather', schema: weatherSchema, strict: true } });

  it('sends responseMimeType and the schema, and gets JSON that parses', async () => {
    const result = await generateText({ model: model(), prompt: 'Weather?', output: output(), maxRetries: 0 });
    const body = fake().requests.at(-1)?.body as { generationConfig: Record<string, unknown> };
    expect(body.generationConfig.responseMimeType).toBe('application/json');
    expect(body.generationConfig.responseJsonSchema).toEqual(sanitizeResponseSchema(weatherSchema));
    expect(JSON.parse(result.text)).toMatchObject({ city: 'example', unit: 'celsius' });
  });

  it('streams the JSON in several pieces that join to the whole', async () => {
    const result = streamText({
      model: model(),
      prompt: 'Weather? [fake:chunks:4]',
      output: output(),
      maxRetries: 0,
      onError: () => {},
    });
    const deltas: string[] = [];
    for await (const part of result.stream) if (part.type === 'text-delta') deltas.push(part.text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(JSON.parse(deltas.join(''))).toMatchObject({ tempC: 1, tags: ['example'] });
  });

  it('passes invalid output through instead of failing the call', async () => {
    const result = await generateText({
      model: model(),
      prompt: 'Weather? [fake:json:{"city":42]',
      output: output(),
      maxRetries: 0,
    });
    expect(result.text).toBe('{"city":42');
  });
});
