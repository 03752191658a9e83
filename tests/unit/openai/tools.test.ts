import { asSchema, type ModelMessage, ToolChoiceViolationError } from 'ai';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/errors';
import { parseChatCompletionRequest } from '@/lib/openai/parse-request';
import type { ChatMessage } from '@/lib/openai/request-schema';
import { toOpenAIToolCall, withToolCalls } from '@/lib/openai/tool-calls';
import { ToolCallDeltas } from '@/lib/openai/tool-calls-stream';
import { assistantTurn, readToolHistory } from '@/lib/openai/tool-messages';
import { toToolCalling } from '@/lib/openai/tools';
import { toApiError } from '@/lib/upstream-errors';

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string', format: 'email' } }, required: ['city'] },
  },
};
const time = { type: 'function', function: { name: 'get_time' } };

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('toToolCalling', () => {
  it('keeps a function named __proto__ instead of losing it to the prototype', () => {
    const { tools } = toToolCalling(JSON.parse('{"tools":[{"type":"function","function":{"name":"__proto__"}}]}'));
    expect(Object.keys(tools ?? {})).toEqual(['__proto__']);
  });

  it('maps functions to AI SDK tools without execute, with the sanitised schema', async () => {
    const { tools, toolChoice } = toToolCalling({ tools: [weather, time] });
    expect(Object.keys(tools ?? {})).toEqual(['get_weather', 'get_time']);
    const tool = tools?.get_weather;
    expect(tool?.description).toBe('Current weather');
    expect(tool && 'execute' in tool ? tool.execute : undefined).toBeUndefined();
    expect(await asSchema(tool?.inputSchema).jsonSchema).toEqual({
      type: 'object',
      properties: { city: { type: 'string', description: '(format: email)' } },
      required: ['city'],
    });
    expect(await asSchema(tools?.get_time?.inputSchema).jsonSchema).toEqual({ type: 'object', properties: {} });
    expect(toolChoice).toBeUndefined();
  });

  it('passes strict on, for Gemini’s VALIDATED mode', () => {
    const { tools } = toToolCalling({ tools: [{ ...weather, function: { ...weather.function, strict: true } }] });
    expect(tools?.get_weather?.strict).toBe(true);
    expect(toToolCalling({ tools: [weather] }).tools?.get_weather?.strict).toBeUndefined();
  });

  it('maps each tool_choice form', () => {
    expect(toToolCalling({ tools: [weather], tool_choice: 'auto' }).toolChoice).toBe('auto');
    expect(toToolCalling({ tools: [weather], tool_choice: 'none' }).toolChoice).toBe('none');
    expect(toToolCalling({ tools: [weather], tool_choice: 'required' }).toolChoice).toBe('required');
    expect(
      toToolCalling({ tools: [weather, time], tool_choice: { type: 'function', function: { name: 'get_time' } } })
        .toolChoice,
    ).toEqual({ type: 'tool', toolName: 'get_time' });
  });

  it('maps allowed_tools to the subset of tools with its mode', () => {
    const { tools, toolChoice } = toToolCalling({
      tools: [weather, time],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_time' } }] },
      },
    });
    expect(Object.keys(tools ?? {})).toEqual(['get_time']);
    expect(toolChoice).toBe('required');
  });

  it('ignores none/auto without tools, and refuses the other choices without tools', () => {
    expect(toToolCalling({ tool_choice: 'none' })).toEqual({});
    expect(toToolCalling({ tools: [], tool_choice: 'auto' })).toEqual({});
    expect(thrown(() => toToolCalling({ tool_choice: 'required' })).param).toBe('tool_choice');
  });

  it('refuses a named choice that is not declared', () => {
    const error = thrown(() =>
      toToolCalling({ tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } }),
    );
    expect(error.param).toBe('tool_choice.function.name');
    expect(error.message).toContain('"get_weather"');
  });

  it.each([
    [[{ type: 'custom', custom: { name: 'x' } }], 'tools[0].type', 'unsupported_parameter'],
    [[{ type: 'retrieval' }], 'tools[0].type', null],
    [[{ type: 'function' }], 'tools[0].function', null],
    [[{ type: 'function', function: { name: 'has space' } }], 'tools[0].function.name', null],
    [[{ type: 'function', function: { name: '9lives' } }], 'tools[0].function.name', null],
    [[weather, weather], 'tools[1].function.name', null],
    [
      [time, { type: 'function', function: { name: 'f', parameters: { type: 'array' } } }],
      'tools[1].function.parameters',
      'invalid_function_parameters',
    ],
    [[{ type: 'function', function: { name: 'f', strict: 'yes' } }], 'tools[0].function.strict', null],
    [[{ type: 'function', function: { name: 'f', description: 5 } }], 'tools[0].function.description', null],
  ])('refuses bad tools %j at %s', (tools, param, code) => {
    const error = thrown(() => toToolCalling({ tools }));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.code).toBe(code);
  });

  it('explains why a name starting with a digit is refused', () => {
    expect(
      thrown(() => toToolCalling({ tools: [{ type: 'function', function: { name: '9lives' } }] })).message,
    ).toMatch(/must start with a letter or "_": Gemini/);
  });
});

describe('parseChatCompletionRequest and function calling', () => {
  const user = { role: 'user', content: 'hi' };
  it('accepts tools, tool_choice, parallel_tool_calls and the tool-call turns', () => {
    expect(() =>
      parseChatCompletionRequest({
        model: 'gemini-3-flash-preview',
        messages: [
          user,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        ],
        tools: [weather],
        tool_choice: 'required',
        parallel_tool_calls: false,
      }),
    ).not.toThrow();
  });

  it.each([
    [{ functions: [{ name: 'f' }] }, 'functions'],
    [{ function_call: 'auto' }, 'function_call'],
    [{ messages: [user, { role: 'function', name: 'f', content: 'x' }] }, 'messages[1].role'],
    [
      { messages: [user, { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }] },
      'messages[1].function_call',
    ],
  ])('still refuses the deprecated function-calling form %j', (extra, param) => {
    const error = thrown(() =>
      parseChatCompletionRequest({ model: 'gemini-3-flash-preview', messages: [user], ...extra }),
    );
    expect(error.param).toBe(param);
    expect(error.code).toBe('unsupported_parameter');
    expect(error.message).toContain('`tools`');
  });
});

const call = (id: string, name: string, args: string, signature?: string) => ({
  id,
  type: 'function',
  function: { name, arguments: args },
  ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
});
const asMessages = (messages: unknown[]) => messages as ChatMessage[];

describe('readToolHistory', () => {
  const history = asMessages([
    { role: 'user', content: 'weather in Paris and Rome?' },
    {
      role: 'assistant',
      content: 'Let me look.',
      tool_calls: [
        call('c1', 'get_weather', '{"city":"Paris"}', 'sig-1'),
        call('c2', 'get_weather', '{"city":"Rome"}'),
      ],
    },
    { role: 'tool', tool_call_id: 'c2', content: '{"temp":20}' },
    {
      role: 'tool',
      tool_call_id: 'c1',
      content: [
        { type: 'text', text: 'sunny' },
        { type: 'text', text: '22 C' },
      ],
    },
  ]);

  it('turns calls into tool-call parts with the thought signature put back', () => {
    const read = readToolHistory(history);
    expect(assistantTurn('Let me look.', read.callsOf(1))).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me look.' },
        {
          type: 'tool-call',
          toolCallId: 'c1',
          toolName: 'get_weather',
          input: { city: 'Paris' },
          providerOptions: { google: { thoughtSignature: 'sig-1' } },
        },
        { type: 'tool-call', toolCallId: 'c2', toolName: 'get_weather', input: { city: 'Rome' } },
      ],
    } satisfies ModelMessage);
    expect(read.callsOf(0)).toEqual([]);
  });

  it('turns tool messages into results named after their call, in the caller’s order', () => {
    const read = readToolHistory(history);
    expect(read.resultOf(2)).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'c2',
          toolName: 'get_weather',
          output: { type: 'text', value: '{"temp":20}' },
        },
      ],
    });
    expect(read.resultOf(3).content[0]).toMatchObject({
      toolCallId: 'c1',
      output: { type: 'text', value: 'sunny\n22 C' },
    });
  });

  it('reads empty arguments as no arguments', () => {
    const read = readToolHistory(
      asMessages([
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [call('c1', 'get_time', '')] },
        { role: 'tool', tool_call_id: 'c1', content: 'noon' },
      ]),
    );
    expect(read.callsOf(1)[0]?.input).toEqual({});
  });

  it('keeps a text-only assistant turn and drops an empty one', () => {
    expect(assistantTurn('hello', [])).toEqual({ role: 'assistant', content: 'hello' });
    expect(assistantTurn('', [])).toBeUndefined();
  });

  it.each([
    [
      'an unanswered call',
      [
        { role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{}'), call('c2', 'f', '{}')] },
        { role: 'tool', tool_call_id: 'c1', content: 'x' },
      ],
      'messages[1].tool_calls',
    ],
    [
      'a user turn before the answers',
      [
        { role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{}')] },
        { role: 'user', content: 'and?' },
      ],
      'messages[1].tool_calls',
    ],
    [
      'a tool message answering nothing',
      [{ role: 'tool', tool_call_id: 'c9', content: 'x' }],
      'messages[1].tool_call_id',
    ],
    [
      'a second answer to one call',
      [
        { role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{}')] },
        { role: 'tool', tool_call_id: 'c1', content: 'x' },
        { role: 'tool', tool_call_id: 'c1', content: 'y' },
      ],
      'messages[3].tool_call_id',
    ],
    [
      'arguments that are not JSON',
      [{ role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{city')] }],
      'messages[1].tool_calls[0].function.arguments',
    ],
    [
      'arguments that are not an object',
      [{ role: 'assistant', content: null, tool_calls: [call('c1', 'f', '[1]')] }],
      'messages[1].tool_calls[0].function.arguments',
    ],
    [
      'a call without id',
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
      'messages[1].tool_calls[0].id',
    ],
    [
      'a repeated id',
      [{ role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{}'), call('c1', 'g', '{}')] }],
      'messages[1].tool_calls[1].id',
    ],
    [
      'a tool message without id',
      [
        { role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{}')] },
        { role: 'tool', content: 'x' },
      ],
      'messages[2].tool_call_id',
    ],
  ])('refuses %s with the param', (_what, rest, param) => {
    const error = thrown(() => readToolHistory(asMessages([{ role: 'user', content: 'q' }, ...rest])));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
  });
});

describe('tool calls back to OpenAI', () => {
  const sdkCall = { toolCallId: 'abc', toolName: 'get_weather', input: { city: 'Paris' } };

  it('writes arguments as JSON text and the thought signature as extra_content', () => {
    expect(toOpenAIToolCall(sdkCall)).toEqual({
      id: 'abc',
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });
    expect(toOpenAIToolCall({ ...sdkCall, providerMetadata: { google: { thoughtSignature: 'sig' } } })).toMatchObject({
      extra_content: { google: { thought_signature: 'sig' } },
    });
  });

  const completion = () => ({
    id: 'x',
    choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'tool_calls' }],
  });

  it('sets content null when there is no text, and keeps text when there is', () => {
    const out = withToolCalls(completion(), [sdkCall], { parallel: true });
    expect(out.choices[0]?.message).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [toOpenAIToolCall(sdkCall)],
    });
    const withText = completion();
    withText.choices[0] = {
      index: 0,
      message: { role: 'assistant', content: 'Checking.' },
      finish_reason: 'tool_calls',
    };
    expect(withToolCalls(withText, [sdkCall], { parallel: true }).choices[0]?.message.content).toBe('Checking.');
  });

  it('leaves a completion without calls untouched', () => {
    const plain = completion();
    expect(withToolCalls(plain, [], { parallel: true })).toBe(plain);
  });

  it('keeps only the first call when parallel tool calls are off', () => {
    const second = { ...sdkCall, toolCallId: 'def' };
    const out = withToolCalls(completion(), [sdkCall, second], { parallel: false });
    expect(out.choices[0]?.message).toMatchObject({ tool_calls: [{ id: 'abc' }] });
    expect(withToolCalls(completion(), [sdkCall, second], { parallel: true }).choices[0]?.message).toMatchObject({
      tool_calls: [{ id: 'abc' }, { id: 'def' }],
    });
  });
});

describe('ToolCallDeltas', () => {
  it('opens each call with index, id, type and name, then streams argument fragments', () => {
    const deltas = new ToolCallDeltas({ parallel: true });
    const meta = { google: { thoughtSignature: 'sig' } };
    expect(deltas.accept({ type: 'tool-input-start', id: 'a', toolName: 'f', providerMetadata: meta })).toEqual([
      {
        index: 0,
        id: 'a',
        type: 'function',
        function: { name: 'f', arguments: '' },
        extra_content: { google: { thought_signature: 'sig' } },
      },
    ]);
    expect(deltas.accept({ type: 'tool-input-delta', id: 'a', delta: '{"x":' })).toEqual([
      { index: 0, function: { arguments: '{"x":' } },
    ]);
    expect(deltas.accept({ type: 'tool-input-start', id: 'b', toolName: 'g' })).toEqual([
      { index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
    ]);
    expect(deltas.accept({ type: 'tool-input-delta', id: 'a', delta: '1}' })).toEqual([
      { index: 0, function: { arguments: '1}' } },
    ]);
    expect(deltas.accept({ type: 'tool-input-delta', id: 'b', delta: '' })).toEqual([]);
    // The final tool-call adds nothing once the arguments went out.
    expect(deltas.accept({ type: 'tool-call', toolCallId: 'a', toolName: 'f', input: { x: 1 } })).toEqual([]);
    expect(deltas.count).toBe(2);
  });

  it('sends "{}" for a call that streamed no arguments', () => {
    const deltas = new ToolCallDeltas({ parallel: true });
    deltas.accept({ type: 'tool-input-start', id: 'a', toolName: 'f' });
    expect(deltas.accept({ type: 'tool-call', toolCallId: 'a', toolName: 'f', input: {} })).toEqual([
      { index: 0, function: { arguments: '{}' } },
    ]);
  });

  it('opens a call that arrives whole, without input parts', () => {
    const deltas = new ToolCallDeltas({ parallel: true });
    expect(deltas.accept({ type: 'tool-call', toolCallId: 'a', toolName: 'f', input: { q: 'x' } })).toEqual([
      { index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } },
      { index: 0, function: { arguments: '{"q":"x"}' } },
    ]);
  });

  it('passes on only the first call when parallel tool calls are off', () => {
    const deltas = new ToolCallDeltas({ parallel: false });
    expect(deltas.accept({ type: 'tool-input-start', id: 'a', toolName: 'f' })).toHaveLength(1);
    expect(deltas.accept({ type: 'tool-input-start', id: 'b', toolName: 'g' })).toEqual([]);
    expect(deltas.accept({ type: 'tool-input-delta', id: 'b', delta: '{}' })).toEqual([]);
    expect(deltas.accept({ type: 'tool-call', toolCallId: 'b', toolName: 'g', input: {} })).toEqual([]);
    expect(deltas.count).toBe(1);
  });
});

describe('a tool_choice Gemini did not honour', () => {
  it('is a 502 that says so, not an internal error', () => {
    const error = toApiError(
      new ToolChoiceViolationError({
        toolChoice: { type: 'required' },
        finishReason: 'length',
        provider: 'google.generative-ai',
        modelId: 'gemini-3-flash-preview',
        content: [],
      }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('tool_choice_not_honoured');
    expect(error.message).toContain('(length)');
  });
});
