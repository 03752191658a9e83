import type { AIMessage, AIMessageChunk } from '@langchain/core/messages';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { generateText, jsonSchema, type ModelMessage, streamText, tool } from 'ai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources';
import { describe, expect, it } from 'vitest';
import type { RecordedFunctionCalling } from '../fake-gemini/function-calls.ts';
import { irisChatOpenAI, irisOpenAICompatible } from '../support/clients.ts';
import { jsonEvents, newTag, openai, parseSse, postChat, upstreamRequests } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';
import { recordingFetch } from '../support/recording-fetch.ts';

/**
 * Function calling through /v1/chat/completions with the three real clients, against the fake Gemini
 * (`[fake:call:NAME:{args}]` makes it call; see tests/fake-gemini/function-calls.ts).
 */

const MODEL = 'gemini-3-flash-preview';
const SKIP_SIGNATURE = 'skip_thought_signature_validator';

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'City name' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};
const timeTool: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', description: 'Local time in a city', parameters: { type: 'object', properties: {} } },
};
const callWeather = (city: string) => `[fake:call:get_weather:{"city":"${city}"}]`;

async function functionCalling(tag: string, round = 0): Promise<RecordedFunctionCalling> {
  const requests = await upstreamRequests(tag);
  const calling = requests[round]?.functionCalling;
  if (!calling) throw new Error(`no function calling recorded for round ${round} of ${tag}`);
  return calling;
}

function expectValid(completion: unknown) {
  expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
}

function expectValidChunks(chunks: readonly unknown[]) {
  for (const chunk of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
}

const signatureOf = (call: unknown): string | undefined =>
  (call as { extra_content?: { google?: { thought_signature?: string } } }).extra_content?.google?.thought_signature;

describe('openai client: tool calls', () => {
  it('returns one call with content null, finish_reason tool_calls and the thought signature', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Weather in Paris? ${callWeather('Paris')} [tag:${tag}]` }],
      tools: [weatherTool],
    });
    expectValid(completion);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toHaveLength(1);
    const call = choice?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(call?.id).toMatch(/^\S+$/);
    expect(signatureOf(call)).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);

    const sent = await functionCalling(tag);
    expect(sent.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather in a city',
            parametersJsonSchema: {
              type: 'object',
              properties: { city: { type: 'string', description: 'City name' } },
              required: ['city'],
              additionalProperties: false,
            },
          },
        ],
      },
    ]);
  });

  it('returns parallel calls in order with distinct ids; only the first carries a signature, as Gemini sends it', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'user', content: `Paris and Rome? ${callWeather('Paris')} ${callWeather('Rome')} [tag:${tag}]` },
      ],
      tools: [weatherTool],
    });
    expectValid(completion);
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? c.function.arguments : null))).toEqual([
      '{"city":"Paris"}',
      '{"city":"Rome"}',
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(signatureOf(calls[0])).toBeTruthy();
    expect(signatureOf(calls[1])).toBeUndefined();
  });

  it('streams each call as OpenAI does: a header delta with index/id/type/name, then argument fragments', async () => {
    const tag = newTag();
    const stream = await openai().chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [
        {
          role: 'user',
          content: `Paris and Rome? ${callWeather('Paris')} ${callWeather('Rome')} [fake:stream-args] [tag:${tag}]`,
        },
      ],
      tools: [weatherTool],
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expectValidChunks(chunks);

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const last = chunks.at(-1);
    expect(last?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    // One entry per chunk, never more.
    expect(chunks.every((c) => (c.choices[0]?.delta.tool_calls?.length ?? 0) <= 1)).toBe(true);

    for (const [index, city] of [
      [0, 'Paris'],
      [1, 'Rome'],
    ] as const) {
      const mine = toolDeltas.filter((d) => d.index === index);
      const [header, ...fragments] = mine;
      expect(Object.keys(header ?? {}).sort()).toEqual(
        index === 0 ? ['extra_content', 'function', 'id', 'index', 'type'] : ['function', 'id', 'index', 'type'],
      );
      expect(header).toMatchObject({ index, type: 'function', function: { name: 'get_weather', arguments: '' } });
      expect(header?.id).toBeTruthy();
      // Fragments carry only the index and a piece of the arguments.
      for (const fragment of fragments) {
        expect(Object.keys(fragment).sort()).toEqual(['function', 'index']);
        expect(Object.keys(fragment.function ?? {})).toEqual(['arguments']);
      }
      expect(fragments.length).toBeGreaterThan(1);
      expect(fragments.map((f) => f.function?.arguments).join('')).toBe(`{"city":"${city}"}`);
    }
    // The second call starts only after the first is complete, so indices never interleave.
    const order = toolDeltas.map((d) => d.index);
    expect(order).toEqual([...order].sort());
  });

  it('streams a whole call (Gemini API shape) as a header and one argument delta, no-argument calls as "{}"', async () => {
    const tag = newTag();
    const response = await postChat({
      model: MODEL,
      stream: true,
      messages: [
        { role: 'user', content: `Time and weather? [fake:call:get_time] ${callWeather('Oslo')} [tag:${tag}]` },
      ],
      tools: [weatherTool, timeTool],
    });
    expect(response.status).toBe(200);
    const chunks = jsonEvents(parseSse(await response.text())) as ChatCompletionChunk[];
    expectValidChunks(chunks);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.map(({ id: _id, ...rest }) => rest)).toEqual([
      {
        index: 0,
        type: 'function',
        function: { name: 'get_time', arguments: '' },
        extra_content: { google: { thought_signature: expect.any(String) } },
      },
      { index: 0, function: { arguments: '{}' } },
      { index: 1, type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, function: { arguments: '{"city":"Oslo"}' } },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('chat.completions.stream() assembles the calls in finalChatCompletion()', async () => {
    const tag = newTag();
    const runner = openai().chat.completions.stream({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: `Paris and Rome? ${callWeather('Paris')} ${callWeather('Rome')} [fake:stream-args] [tag:${tag}]`,
        },
      ],
      tools: [weatherTool],
    });
    const argumentDone: string[] = [];
    runner.on('tool_calls.function.arguments.done', (event) => argumentDone.push(event.arguments));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => (c.type === 'function' ? JSON.parse(c.function.arguments) : null))).toEqual([
      { city: 'Paris' },
      { city: 'Rome' },
    ]);
    expect(argumentDone).toEqual(['{"city":"Paris"}', '{"city":"Rome"}']);
    // The signature travels on the assembled call, so pushing the message back returns it.
    expect(signatureOf(calls[0])).toBeTruthy();
  });

  it('completes a two-round tool loop, and the thought signature comes back to Gemini', async () => {
    const tag = newTag();
    const client = openai();
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: `Weather in Paris? ${callWeather('Paris')} [tag:${tag}]` },
    ];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    const assistant = first.choices[0]?.message;
    const call = assistant?.tool_calls?.[0];
    if (!assistant || call?.type !== 'function') throw new Error('expected a function call');
    messages.push(assistant, { role: 'tool', tool_call_id: call.id, content: '{"temp_c":21,"sky":"clear"}' });

    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    expectValid(second);
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.tool_calls).toBeUndefined();
    expect(second.choices[0]?.message.content).toContain('get_weather answered');
    expect(second.choices[0]?.message.content).toContain('temp_c');

    const sent = await functionCalling(tag, 1);
    expect(sent.parts).toEqual([
      {
        turn: 1,
        role: 'model',
        functionCall: { id: call.id, name: 'get_weather', args: { city: 'Paris' } },
        thoughtSignature: signatureOf(call),
      },
      {
        turn: 2,
        role: 'user',
        functionResponse: {
          id: call.id,
          name: 'get_weather',
          response: { name: 'get_weather', content: '{"temp_c":21,"sky":"clear"}' },
        },
      },
    ]);
  });

  it('returns parallel results in one turn, in the caller’s order, and streams the final answer', async () => {
    const tag = newTag();
    const client = openai();
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: `Paris and Rome? ${callWeather('Paris')} ${callWeather('Rome')} [tag:${tag}]` },
    ];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    const assistant = first.choices[0]?.message;
    const [paris, rome] = assistant?.tool_calls ?? [];
    if (!assistant || !paris || !rome) throw new Error('expected two calls');
    messages.push(
      assistant,
      { role: 'tool', tool_call_id: rome.id, content: 'Rome: 25 C' },
      { role: 'tool', tool_call_id: paris.id, content: 'Paris: 21 C' },
    );
    const stream = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool], stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expectValidChunks(chunks);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toContain('2 function responses');
    expect(text.indexOf('Rome: 25 C')).toBeLessThan(text.indexOf('Paris: 21 C'));
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    const sent = await functionCalling(tag, 1);
    expect(sent.parts.map((p) => [p.turn, p.role, p.functionCall?.args ?? p.functionResponse?.response])).toEqual([
      [1, 'model', { city: 'Paris' }],
      [1, 'model', { city: 'Rome' }],
      [2, 'user', { name: 'get_weather', content: 'Rome: 25 C' }],
      [2, 'user', { name: 'get_weather', content: 'Paris: 21 C' }],
    ]);
    expect(sent.parts[0]?.thoughtSignature).toBe(signatureOf(paris));
    expect(sent.parts[1]?.thoughtSignature).toBeUndefined();
  });

  it('without the signature a Gemini 3 history still works: the SDK sends Google’s documented skip value', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'user', content: `Weather in Paris? [tag:${tag}]` },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21 C' },
      ],
      tools: [weatherTool],
    });
    expect(completion.choices[0]?.message.content).toContain('get_weather answered');
    const sent = await functionCalling(tag);
    expect(sent.parts[0]?.thoughtSignature).toBe(SKIP_SIGNATURE);
  });
});

describe('openai client: tool_choice and parallel_tool_calls', () => {
  const ask = async (tag: string, prompt: string, extra: Record<string, unknown>) => {
    const completion = (await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `${prompt} [tag:${tag}]` }],
      tools: [weatherTool, timeTool],
      ...extra,
    })) as ChatCompletion;
    expectValid(completion);
    return completion;
  };

  it('auto → mode AUTO; the model may answer in text', async () => {
    const tag = newTag();
    const completion = await ask(tag, 'Just chat.', { tool_choice: 'auto' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect((await functionCalling(tag)).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('required → mode ANY, so Gemini calls a function even unprompted', async () => {
    const tag = newTag();
    const completion = await ask(tag, 'Just chat.', { tool_choice: 'required' });
    expect((await functionCalling(tag)).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toHaveLength(1);
  });

  it('none → mode NONE, so no call comes back even when the prompt asks for one', async () => {
    const tag = newTag();
    const completion = await ask(tag, `Weather? ${callWeather('Paris')}`, { tool_choice: 'none' });
    expect((await functionCalling(tag)).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]?.message.content).toBeTruthy();
  });

  it('a named function → mode ANY with allowedFunctionNames', async () => {
    const tag = newTag();
    const completion = await ask(tag, `Weather? ${callWeather('Paris')}`, {
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    expect((await functionCalling(tag)).toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] },
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.name : null).toBe('get_time');
  });

  it('parallel_tool_calls: false keeps only the first call, streamed or not', async () => {
    const prompt = `Paris and Rome? ${callWeather('Paris')} ${callWeather('Rome')}`;
    const completion = await ask(newTag(), prompt, { parallel_tool_calls: false });
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? c.function.arguments : null))).toEqual(['{"city":"Paris"}']);

    const stream = await openai().chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: `${prompt} [fake:stream-args] [tag:${newTag()}]` }],
      tools: [weatherTool],
      parallel_tool_calls: false,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expectValidChunks(chunks);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(new Set(deltas.map((d) => d.index))).toEqual(new Set([0]));
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}');
  });
});

describe('tool schemas Gemini would refuse are made acceptable', () => {
  it('sends $ref, const, oneOf and type arrays in a form Gemini takes', async () => {
    const tag = newTag();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Book it. [fake:call:book:{"kind":"train"}] [tag:${tag}]` }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'book',
            parameters: {
              $schema: 'https://json-schema.org/draft/2020-12/schema',
              type: 'object',
              properties: {
                kind: { const: 'train' },
                from: { $ref: '#/$defs/Place', description: 'Departure' },
                seat: { type: ['string', 'null'], format: 'uuid' },
                when: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }] },
              },
              required: ['kind'],
              $defs: { Place: { type: 'object', properties: { city: { type: 'string' } } } },
            },
          },
        },
      ],
    });
    expect(completion.choices[0]?.message.tool_calls).toHaveLength(1);
    const sentTools = (await functionCalling(tag)).tools as { functionDeclarations: Record<string, unknown>[] }[];
    const declaration = sentTools[0]?.functionDeclarations[0];
    expect(declaration?.parametersJsonSchema).toEqual({
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['train'] },
        from: { type: 'object', properties: { city: { type: 'string' } }, description: 'Departure' },
        seat: { anyOf: [{ type: 'string' }, { type: 'null' }], description: '(format: uuid)' },
        when: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }] },
      },
      required: ['kind'],
    });
  });
});

describe('bad tool input is a 400 naming the param', () => {
  const user = { role: 'user', content: 'hi' };
  it.each([
    [
      { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }] },
      'tools[0].function.parameters',
    ],
    [
      {
        tools: [
          {
            type: 'function',
            function: { name: 'f', parameters: { type: 'object', properties: { a: { $ref: '#/$defs/X' } } } },
          },
        ],
      },
      'tools[0].function.parameters.properties.a.$ref',
    ],
    [{ tools: [{ type: 'function', function: { name: 'bad name' } }] }, 'tools[0].function.name'],
    [
      { tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'nope' } } },
      'tool_choice.function.name',
    ],
    [{ tool_choice: 'required' }, 'tool_choice'],
    [{ messages: [user, { role: 'tool', tool_call_id: 'x', content: 'r' }] }, 'messages[1].tool_call_id'],
    [
      {
        messages: [
          user,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          user,
        ],
      },
      'messages[1].tool_calls',
    ],
    [
      {
        messages: [
          user,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{nope' } }],
          },
          { role: 'tool', tool_call_id: 'a', content: 'r' },
        ],
      },
      'messages[1].tool_calls[0].function.arguments',
    ],
    [{ functions: [{ name: 'f' }] }, 'functions'],
  ])('%j → %s', async (extra, param) => {
    const tag = newTag();
    const response = await postChat({
      model: MODEL,
      messages: [{ role: 'user', content: `hi [tag:${tag}]` }],
      ...extra,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; type: string } };
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error.param).toBe(param);
    expect(body.error.type).toBe('invalid_request_error');
    expect(await upstreamRequests(tag)).toEqual([]);
  });
});

describe('@ai-sdk/openai-compatible', () => {
  const provider = (fetch: typeof globalThis.fetch) => irisOpenAICompatible(fetch);
  const tools = {
    get_weather: tool({
      description: 'Current weather in a city',
      inputSchema: jsonSchema<{ city: string }>({
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      }),
    }),
  };

  it('generateText gets the call, then a second round with the result ends in text; the signature survives', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const model = provider(recorder.fetch)(MODEL);
    const messages: ModelMessage[] = [
      { role: 'user', content: `Weather in Lima? ${callWeather('Lima')} [tag:${tag}]` },
    ];
    const first = await generateText({ model, messages, tools, maxRetries: 0 });
    expect(first.finishReason).toBe('tool-calls');
    const [call] = first.toolCalls;
    expect(call).toMatchObject({ toolName: 'get_weather', input: { city: 'Lima' } });
    if (!call) throw new Error('expected a call');

    messages.push(...first.responseMessages, {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.toolCallId,
          toolName: 'get_weather',
          output: { type: 'text', value: 'Lima: 19 C' },
        },
      ],
    });
    const second = await generateText({ model, messages, tools, maxRetries: 0 });
    expect(second.finishReason).toBe('stop');
    expect(second.text).toContain('Lima: 19 C');

    expect(await recorder.schemaErrors()).toMatchObject({ errors: [], completions: 2 });
    // The client reads extra_content.google.thought_signature into provider metadata and sends it back.
    const signature = call.providerMetadata?.iris?.thoughtSignature;
    expect(signature).toBeTruthy();
    const [sentCall] = (await functionCalling(tag, 1)).parts;
    expect(sentCall?.thoughtSignature).toBe(signature);
  });

  it('streamText streams the call and a second streamed round answers', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const model = provider(recorder.fetch)(MODEL);
    const messages: ModelMessage[] = [
      { role: 'user', content: `Weather in Quito? ${callWeather('Quito')} [fake:stream-args] [tag:${tag}]` },
    ];
    const first = streamText({ model, messages, tools, maxRetries: 0, onError: () => {} });
    const calls = await first.toolCalls;
    expect(calls).toMatchObject([{ toolName: 'get_weather', input: { city: 'Quito' } }]);
    expect(await first.finishReason).toBe('tool-calls');
    const [call] = calls;
    if (!call) throw new Error('expected a call');

    messages.push(...(await first.responseMessages), {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.toolCallId,
          toolName: 'get_weather',
          output: { type: 'text', value: 'Quito: 14 C' },
        },
      ],
    });
    const second = streamText({ model, messages, tools, maxRetries: 0, onError: () => {} });
    expect(await second.text).toContain('Quito: 14 C');

    const checked = await recorder.schemaErrors();
    expect(checked.errors).toEqual([]);
    expect(checked.chunks).toBeGreaterThan(4);
    const sent = await functionCalling(tag, 1);
    expect(sent.parts[0]?.thoughtSignature).toBeTruthy();
    expect(sent.parts[0]?.thoughtSignature).not.toBe(SKIP_SIGNATURE);
  });
});

describe('LangChain ChatOpenAI', () => {
  const chat = (fetch: typeof globalThis.fetch, streaming = false) =>
    irisChatOpenAI(MODEL, fetch, { streaming }).bindTools([weatherTool]);

  it('bindTools + invoke gets the call; a ToolMessage round ends in text', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const model = chat(recorder.fetch);
    const question = new HumanMessage(`Weather in Kyiv? ${callWeather('Kyiv')} [tag:${tag}]`);
    const reply = (await model.invoke([question])) as AIMessage;
    expect(reply.tool_calls).toMatchObject([{ name: 'get_weather', args: { city: 'Kyiv' } }]);
    const id = reply.tool_calls?.[0]?.id;
    if (!id) throw new Error('expected a tool call id');

    const answer = await model.invoke([question, reply, new ToolMessage({ content: 'Kyiv: 12 C', tool_call_id: id })]);
    expect(answer.content).toContain('Kyiv: 12 C');
    expect(await recorder.schemaErrors()).toMatchObject({ errors: [], completions: 2 });
    // LangChain keeps only id, name and arguments of a call, so Gemini 3 gets the documented skip value instead.
    const sent = await functionCalling(tag, 1);
    expect(sent.parts[0]).toMatchObject({
      functionCall: { id, name: 'get_weather' },
      thoughtSignature: SKIP_SIGNATURE,
    });
  });

  it('streams the call in chunks that concatenate to it, then streams the answer', async () => {
    const tag = newTag();
    const recorder = recordingFetch();
    const model = chat(recorder.fetch, true);
    const question = new HumanMessage(`Weather in Cusco? ${callWeather('Cusco')} [fake:stream-args] [tag:${tag}]`);
    let whole: AIMessageChunk | undefined;
    for await (const chunk of await model.stream([question])) whole = whole ? whole.concat(chunk) : chunk;
    expect(whole?.tool_calls).toMatchObject([{ name: 'get_weather', args: { city: 'Cusco' } }]);
    const id = whole?.tool_calls?.[0]?.id;
    if (!whole || !id) throw new Error('expected a streamed tool call');

    let text = '';
    for await (const chunk of await model.stream([
      question,
      whole,
      new ToolMessage({ content: 'Cusco: 9 C', tool_call_id: id }),
    ])) {
      text += typeof chunk.content === 'string' ? chunk.content : '';
    }
    expect(text).toContain('Cusco: 9 C');
    const checked = await recorder.schemaErrors();
    expect(checked.errors).toEqual([]);
    expect(checked.chunks).toBeGreaterThan(4);
  });
});
