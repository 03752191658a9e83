import { createHash } from 'node:crypto';
import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RecordedRequest } from '../fake-gemini/server.ts';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { type ImageServer, startImageServer } from '../support/image-server.ts';
import { irisUrl, newTag, openai, upstreamRequests } from '../support/iris.ts';
import { makePdf } from '../support/media-samples.ts';
import { expectValidOpenAI, validateOpenAI, validateResponseEvent } from '../support/openapi.ts';
import { dataUrl, makePng } from '../support/png.ts';

/** POST /v1/responses and the stored-response routes, over HTTP against the production build and the fake. */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const auth = (key: string = GATEWAY_KEYS[0]) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
});

let images: ImageServer;
beforeAll(async () => {
  images = await startImageServer();
});
afterAll(async () => {
  await images.close();
});

async function post(body: unknown, key?: string) {
  const response = await fetch(`${irisUrl()}/v1/responses`, {
    method: 'POST',
    headers: auth(key),
    body: JSON.stringify(body),
  });
  return { response, body: await response.json() };
}

/** A Responses SSE body → its events, checking the framing: an `event:` line naming the `data:` line's type. */
function responseEvents(text: string): { type: string; sequence_number: number; [key: string]: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      const event = JSON.parse((dataLine ?? '').slice('data: '.length));
      expect(event.type).toBe(eventLine?.slice('event: '.length));
      return event;
    });
}

const generationConfig = (upstream: RecordedRequest | undefined) =>
  ((upstream?.body as { generationConfig?: Record<string, unknown> })?.generationConfig ?? {}) as Record<
    string,
    unknown
  >;

describe('POST /v1/responses', () => {
  it('answers a string input with a spec-valid response; instructions become the system instruction', async () => {
    const tag = newTag();
    const response = await openai().responses.create({
      model: 'gemini-3.8-flash',
      instructions: 'Answer briefly.',
      input: `What is Iris? [tag:${tag}]`,
      max_output_tokens: 500,
      temperature: 0.4,
      top_p: 0.9,
    });
    expectValidOpenAI('Response', response);
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.model).toBe('gemini-3.8-flash');
    expect(response.output_text).toContain('What is Iris?');
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect((response.output[0] as { id: string }).id).toMatch(/^msg_/);
    expect(response.usage).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: expect.any(Number) },
    });
    const [upstream] = await upstreamRequests(tag);
    const body = upstream?.body as { systemInstruction?: { parts: { text: string }[] } };
    expect(body.systemInstruction?.parts[0]?.text).toBe('Answer briefly.');
    expect(generationConfig(upstream)).toMatchObject({ maxOutputTokens: 500, temperature: 0.4, topP: 0.9 });
  });

  it('streams the spec’s events in order, numbered, framed with event: lines', async () => {
    const tag = newTag();
    const response = await fetch(`${irisUrl()}/v1/responses`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ model: 'gemini-3.8-flash', input: `Stream please [tag:${tag}]`, stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = responseEvents(await response.text());
    for (const event of events) {
      expect(validateResponseEvent(event), event.type).toEqual([]);
      expectValidOpenAI('ResponseStreamEvent', event);
    }
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const deltas = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta);
    expect(deltas.length).toBeGreaterThan(1);
    const completed = events.at(-1)?.response as { output: { content: { text: string }[] }[]; usage: unknown };
    expect(completed.output[0]?.content[0]?.text).toBe(deltas.join(''));
    expect(completed.usage).not.toBeNull();
  });

  it('works with the openai client’s responses.stream() and finalResponse()', async () => {
    const stream = openai().responses.stream({ model: 'gemini-3.8-flash', input: 'Tell me something' });
    let streamed = '';
    stream.on('response.output_text.delta', (event) => {
      streamed += event.delta;
    });
    const final = await stream.finalResponse();
    expectValidOpenAI('Response', final);
    expect(final.output_text).toBe(streamed);
    expect(final.output_text).toContain('Tell me something');
  });

  it('gives responses.parse() its object with zodTextFormat, the schema reaching Gemini', async () => {
    const tag = newTag();
    const Weather = z.object({ city: z.string(), celsius: z.number() });
    const parsed = await openai().responses.parse({
      model: 'gemini-3.8-flash',
      input: `Weather in Oslo [tag:${tag}] [fake:json:{"city":"Oslo","celsius":-3}]`,
      text: { format: zodTextFormat(Weather, 'weather') },
    });
    expect(parsed.output_parsed).toEqual({ city: 'Oslo', celsius: -3 });
    const [upstream] = await upstreamRequests(tag);
    expect(generationConfig(upstream)).toMatchObject({ responseMimeType: 'application/json' });
    expect(JSON.stringify(generationConfig(upstream).responseJsonSchema)).toContain('celsius');
  });

  it('returns thought summaries as a reasoning item when reasoning.summary is asked for, streamed and not', async () => {
    const response = await openai().responses.create({
      model: 'gemini-3.8-flash',
      input: 'Think about it [fake:thinking]',
      reasoning: { effort: 'high', summary: 'auto' },
    });
    expectValidOpenAI('Response', response);
    const reasoning = response.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.summary[0]?.text.length).toBeGreaterThan(0);
    expect(response.output.at(-1)?.type).toBe('message');

    const streamed = await fetch(`${irisUrl()}/v1/responses`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({
        model: 'gemini-3.8-flash',
        input: 'Think again [fake:thinking]',
        reasoning: { summary: 'auto' },
        stream: true,
      }),
    });
    const events = responseEvents(await streamed.text());
    for (const event of events) {
      expect(validateResponseEvent(event), event.type).toEqual([]);
      expectValidOpenAI('ResponseStreamEvent', event);
    }
    expect(events.some((e) => e.type === 'response.reasoning_summary_text.delta')).toBe(true);
  });

  it('sends images by URL and data URL, and a PDF, to Gemini intact', async () => {
    const tag = newTag();
    const fetched = makePng(20, 10, 5);
    const inline = makePng(8, 8, 6);
    const pdf = makePdf('Iris responses');
    images.serve('/r.png', fetched, 'image/png');
    const response = await openai().responses.create({
      model: 'gemini-3.8-flash',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: `Compare these [tag:${tag}]` },
            { type: 'input_image', image_url: images.url('/r.png'), detail: 'auto' },
            { type: 'input_image', image_url: dataUrl(inline), detail: 'auto' },
            {
              type: 'input_file',
              filename: 'doc.pdf',
              file_data: `data:application/pdf;base64,${pdf.toString('base64')}`,
            },
          ],
        },
      ],
    });
    expect(response.status).toBe('completed');
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.images).toEqual([
      { mimeType: 'image/png', bytes: fetched.length, sha256: sha256(fetched) },
      { mimeType: 'image/png', bytes: inline.length, sha256: sha256(inline) },
      { mimeType: 'application/pdf', bytes: pdf.length, sha256: sha256(pdf) },
    ]);
    expect(upstream?.fileUris).toEqual([]);
  });
});

describe('function tools', () => {
  const tools = [
    {
      type: 'function' as const,
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      strict: true,
    },
  ];

  async function firstRound(model: string, store: boolean, tag: string) {
    const input: ResponseInputItem[] = [
      { role: 'developer', content: 'You are a weather bot.' },
      { role: 'user', content: `Weather in Paris? [tag:${tag}] [fake:call:get_weather:{"city":"Paris"}]` },
    ];
    const first = await openai().responses.create({
      model,
      input,
      tools,
      store,
      include: ['reasoning.encrypted_content'],
      reasoning: { summary: 'auto' },
    });
    expectValidOpenAI('Response', first);
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function_call item');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' });
    expect(call.id).toMatch(/^fc_/);
    return { first, call, input };
  }

  for (const model of ['gemini-2.5-flash', 'gemini-3.8-flash']) {
    it(`runs a two-round loop on ${model} with store: false, the client replaying the items`, async () => {
      const tag = newTag();
      const { first, call, input } = await firstRound(model, false, tag);
      // A client that drops fields it does not know from function_call items (as some agent clients do).
      const replayed = first.output.map((item) =>
        item.type === 'function_call'
          ? { type: 'function_call' as const, call_id: item.call_id, name: item.name, arguments: item.arguments }
          : item,
      );
      const second = await openai().responses.create({
        model,
        store: false,
        tools,
        input: [
          ...input,
          ...(replayed as ResponseInputItem[]),
          { type: 'function_call_output', call_id: call.call_id, output: '{"sky":"sunny"}' },
        ],
      });
      expectValidOpenAI('Response', second);
      expect(second.output_text).toContain('sunny');
      const [, secondUpstream] = await upstreamRequests(tag);
      const parts = secondUpstream?.functionCalling?.parts ?? [];
      expect(parts.map((p) => (p.functionCall ? 'call' : 'response'))).toEqual(['call', 'response']);
      if (model.startsWith('gemini-3')) {
        // The fake refuses a Gemini 3 call turn without its signature; this proves it came back unchanged.
        const [firstUpstream] = await upstreamRequests(tag);
        expect(firstUpstream).toBeDefined();
        expect(parts[0]?.thoughtSignature).toMatch(/.+/);
        expect(first.output.some((item) => item.type === 'reasoning' && item.encrypted_content)).toBe(true);
      }
      // store: false keeps nothing.
      const stored = await fetch(`${irisUrl()}/v1/responses/${first.id}`, { headers: auth() });
      expect(stored.status).toBe(404);
    });
  }

  it.each(['gemini-2.5-flash', 'gemini-3.8-flash'])(
    'continues a stored tool round with previous_response_id on %s',
    async (model) => {
      const tag = newTag();
      const { first, call } = await firstRound(model, true, tag);
      const second = await openai().responses.create({
        model,
        previous_response_id: first.id,
        tools,
        input: [{ type: 'function_call_output', call_id: call.call_id, output: 'rainy' }],
      });
      expectValidOpenAI('Response', second);
      expect(second.previous_response_id).toBe(first.id);
      expect(second.output_text).toContain('rainy');
      const [, upstream] = await upstreamRequests(tag);
      const body = upstream?.body as { systemInstruction?: { parts: { text: string }[] }; contents: unknown[] };
      // The whole conversation went back: the developer message, the question, the call, its result.
      expect(body.systemInstruction?.parts[0]?.text).toBe('You are a weather bot.');
      expect(body.contents).toHaveLength(3);
      // On Gemini 3 the stored call went back with its signature (the fake refuses it otherwise).
      const sentCall = upstream?.functionCalling?.parts.find((p) => p.functionCall);
      if (model.startsWith('gemini-3')) expect(sentCall?.thoughtSignature).toMatch(/.+/);
    },
  );

  it('declares custom tools as functions and returns custom_tool_call items', async () => {
    const response = await openai().responses.create({
      model: 'gemini-3.8-flash',
      input: 'Run it [fake:call:run_sql:{"input":"select 1"}]',
      tools: [{ type: 'custom', name: 'run_sql', description: 'Runs SQL' }],
    });
    expectValidOpenAI('Response', response);
    expect(response.output.find((item) => item.type === 'custom_tool_call')).toMatchObject({
      name: 'run_sql',
      input: 'select 1',
    });
  });

  it('declares a namespace’s functions and names the namespace on their calls', async () => {
    const tag = newTag();
    const { response, body } = await post({
      model: 'gemini-3.8-flash',
      input: `Find customer 7 [tag:${tag}] [fake:call:crm__lookup:{"id":"7"}]`,
      tools: [
        {
          type: 'namespace',
          name: 'crm',
          description: 'Customer records',
          tools: [
            {
              type: 'function',
              name: 'lookup',
              parameters: { type: 'object', properties: { id: { type: 'string' } } },
            },
          ],
        },
      ],
    });
    expect(response.status).toBe(200);
    expectValidOpenAI('Response', body);
    expect(body.output.find((item: { type: string }) => item.type === 'function_call')).toMatchObject({
      name: 'lookup',
      namespace: 'crm',
      arguments: '{"id":"7"}',
    });
    const [upstream] = await upstreamRequests(tag);
    expect(JSON.stringify(upstream?.functionCalling?.tools)).toContain('crm__lookup');
  });

  it('serves web_search by Gemini’s Google Search grounding, its pages as url_citation annotations', async () => {
    const tag = newTag();
    const response = await openai().responses.create({
      model: 'gemini-3.8-flash',
      input: `Latest Gemini news [tag:${tag}]`,
      tools: [{ type: 'web_search' }],
    });
    expectValidOpenAI('Response', response);
    const [upstream] = await upstreamRequests(tag);
    expect((upstream?.body as { tools?: unknown[] } | undefined)?.tools).toEqual([{ googleSearch: {} }]);
    const message = response.output.find((item) => item.type === 'message');
    const text = message?.type === 'message' ? message.content[0] : undefined;
    expect(text?.type === 'output_text' && text.annotations).toEqual([
      expect.objectContaining({ type: 'url_citation', title: 'First result for Latest Gemini news', start_index: 0 }),
      expect.objectContaining({ type: 'url_citation', title: 'Second result for Latest Gemini news' }),
    ]);

    const streamed = await fetch(`${irisUrl()}/v1/responses`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({
        model: 'gemini-3.8-flash',
        input: 'More news',
        tools: [{ type: 'web_search' }],
        stream: true,
      }),
    });
    const events = responseEvents(await streamed.text());
    for (const event of events) expect(validateResponseEvent(event), event.type).toEqual([]);
    const added = events.filter((e) => e.type === 'response.output_text.annotation.added');
    expect(added).toHaveLength(2);
    const done = events.at(-1)?.response as { output: { content?: { annotations: unknown[] }[] }[] };
    expect(done.output.at(-1)?.content?.[0]?.annotations).toHaveLength(2);
  });

  it('leaves out built-in tools Gemini cannot serve, saying so in a header', async () => {
    const { response, body } = await post({
      model: 'gemini-3.8-flash',
      input: 'hello',
      tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }, ...tools],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-iris-ignored-tools')).toBe('file_search');
    expectValidOpenAI('Response', body);
  });
});

describe('stored responses', () => {
  it('retrieves, lists input items of, and deletes a stored response; other keys see none of it', async () => {
    const created = await openai().responses.create({ model: 'gemini-3.8-flash', input: 'Keep this' });
    const fetched = await openai().responses.retrieve(created.id);
    expect(fetched).toEqual(created);

    const items = await fetch(`${irisUrl()}/v1/responses/${created.id}/input_items`, { headers: auth() });
    const list = await items.json();
    expectValidOpenAI('ResponseItemList', list);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'Keep this' }],
    });

    const other = openai(GATEWAY_KEYS[1]);
    await expect(other.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    const hijack = await other.responses
      .create({ model: 'gemini-3.8-flash', previous_response_id: created.id, input: 'and?' })
      .catch((e: unknown) => e);
    expect(hijack).toBeInstanceOf(NotFoundError);
    expect((hijack as NotFoundError).param).toBe('previous_response_id');
    const otherDelete = await fetch(`${irisUrl()}/v1/responses/${created.id}`, {
      method: 'DELETE',
      headers: auth(GATEWAY_KEYS[1]),
    });
    expect(otherDelete.status).toBe(404);

    const deleted = await fetch(`${irisUrl()}/v1/responses/${created.id}`, { method: 'DELETE', headers: auth() });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: created.id, object: 'response', deleted: true });
    await expect(openai().responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stores a streamed response before its last event, so it can be fetched at once', async () => {
    const stream = openai().responses.stream({ model: 'gemini-3.8-flash', input: 'Stream and keep' });
    const final = await stream.finalResponse();
    const fetched = await openai().responses.retrieve(final.id);
    expect(fetched.output_text).toBe(final.output_text);
  });
});

/** A JSON schema `depth` objects deep. */
const nested = (depth: number): Record<string, unknown> =>
  depth === 0 ? { type: 'string' } : { type: 'object', properties: { a: nested(depth - 1) } };

describe('bad input', () => {
  const base = { model: 'gemini-3.8-flash', input: 'hi' };
  it.each<[string, object, string, number?]>([
    ['no model', { input: 'hi' }, 'model'],
    ['no input', { model: 'gemini-3.8-flash' }, 'input'],
    ['input of the wrong type', { ...base, input: 42 }, 'input'],
    ['an unknown item type', { ...base, input: [{ type: 'telepathy' }] }, 'input[0].type'],
    ['a bad role', { ...base, input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
    [
      'an output for no call',
      {
        ...base,
        input: [
          { role: 'user', content: 'x' },
          { type: 'function_call_output', call_id: 'c9', output: 'y' },
        ],
      },
      'input[1].call_id',
    ],
    [
      'arguments that are not JSON',
      {
        ...base,
        input: [
          { role: 'user', content: 'x' },
          { type: 'function_call', call_id: 'c', name: 'f', arguments: '{' },
        ],
      },
      'input[1].arguments',
    ],
    [
      'a forged encrypted_content',
      {
        ...base,
        input: [
          { type: 'reasoning', summary: [], encrypted_content: 'forged' },
          { role: 'user', content: 'x' },
        ],
      },
      'input[0].encrypted_content',
    ],
    [
      'a file by URL',
      { ...base, input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x.test/a.pdf' }] }] },
      'input[0].content[0].file_url',
    ],
    [
      'a bad function name',
      { ...base, tools: [{ type: 'function', name: '9lives', parameters: { type: 'object' } }] },
      'tools[0].name',
    ],
    ['a temperature above 2', { ...base, temperature: 3 }, 'temperature'],
    [
      'a json_schema without a name',
      { ...base, text: { format: { type: 'json_schema', schema: {} } } },
      'text.format.name',
    ],
    ['background mode', { ...base, background: true }, 'background'],
    [
      'a schema nested too deeply',
      { ...base, text: { format: { type: 'json_schema', name: 'deep', schema: nested(70) } } },
      'text.format.schema',
    ],
    ['an unknown include', { ...base, include: ['file_search_call.results'] }, 'include[0]'],
    [
      'a reasoning effort on a model that does not think',
      { model: 'gemma-3-27b-it', input: 'x', reasoning: { effort: 'high' } },
      'reasoning.effort',
    ],
    ['too many output tokens', { ...base, max_output_tokens: 10_000_000 }, 'max_output_tokens'],
    [
      'an unknown previous_response_id',
      { ...base, previous_response_id: 'resp_doesnotexist' },
      'previous_response_id',
      404,
    ],
  ])('refuses %s, naming the param', async (_, body, param, status = 400) => {
    const { response, body: error } = await post(body);
    expect(response.status).toBe(status);
    expect(validateOpenAI('ErrorResponse', error)).toEqual([]);
    expect(error.error.param).toBe(param);
  });

  it('is a BadRequestError for the openai client, and needs a key', async () => {
    const error = await openai()
      .responses.create({ model: 'gemini-3.8-flash', input: 'x', temperature: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    const anonymous = new OpenAI({ baseURL: `${irisUrl()}/v1`, apiKey: 'wrong-key', maxRetries: 0 });
    await expect(anonymous.responses.create({ model: 'gemini-3.8-flash', input: 'x' })).rejects.toMatchObject({
      status: 401,
    });
  });
});
