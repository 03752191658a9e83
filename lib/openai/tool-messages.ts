import type { AssistantModelMessage, TextPart, ToolCallPart, ToolModelMessage } from 'ai';
import { invalidRequest } from '@/lib/errors';
import { DEFAULT_JSON_LIMITS, JsonGuard } from '@/lib/http/json-guard';
import { isJsonObject } from '@/lib/json-object';
import type { ChatMessage } from '@/lib/openai/request-schema';
import { MAX_SCHEMA_DEPTH } from '@/lib/openai/schema-depth';

/**
 * The function-calling turns of a conversation: assistant `tool_calls` → AI SDK tool-call parts (Gemini
 * `functionCall`s, with their thought signatures put back) and `tool` messages → tool results (Gemini
 * `functionResponse`s), in order, several per turn.
 *
 * Checked up front, like OpenAI does, because Gemini refuses a turn whose calls are not all answered and the SDK
 * needs each result's function name, which OpenAI's `tool` message does not carry.
 */

interface ReadCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  thoughtSignature?: string;
}

export interface ToolHistory {
  /** The assistant message's calls as AI SDK parts (empty when it made none). */
  callsOf(index: number): ToolCallPart[];
  /** The `tool` message at `index` as an AI SDK tool message. */
  resultOf(index: number): ToolModelMessage;
}

type Json = Record<string, unknown>;

/** Reads and checks every tool call and result; throws a 400 naming the offending message. */
export function readToolHistory(messages: readonly ChatMessage[]): ToolHistory {
  const calls = new Map<number, ReadCall[]>();
  const results = new Map<number, ToolModelMessage>();
  // Calls of the latest assistant message still waiting for their `tool` message, by id.
  let open = new Map<string, ReadCall>();
  let openAt = -1;

  const requireAnswered = () => {
    if (open.size === 0) return;
    const missing = [...open.keys()].map((id) => JSON.stringify(id)).join(', ');
    throw invalidRequest(
      `messages[${openAt}] has tool_calls that are not answered: each needs a following "tool" message with its tool_call_id (missing: ${missing}).`,
      `messages[${openAt}].tool_calls`,
      'missing_tool_result',
    );
  };

  messages.forEach((message, i) => {
    if (message.role === 'tool') {
      const { id, text } = readToolMessage(message, i);
      const call = open.get(id);
      if (!call) {
        throw invalidRequest(
          `messages[${i}].tool_call_id ${JSON.stringify(id)} does not answer a tool call of the preceding assistant message.`,
          `messages[${i}].tool_call_id`,
        );
      }
      open.delete(id);
      results.set(i, {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: id, toolName: call.name, output: { type: 'text', value: text } }],
      });
      return;
    }
    requireAnswered();
    if (message.role !== 'assistant' || !message.tool_calls || message.tool_calls.length === 0) return;
    const read = message.tool_calls.map((raw, j) => readToolCall(raw, `messages[${i}].tool_calls[${j}]`));
    open = new Map();
    openAt = i;
    read.forEach((call, j) => {
      if (open.has(call.id)) {
        throw invalidRequest(
          `messages[${i}].tool_calls[${j}].id repeats an earlier id.`,
          `messages[${i}].tool_calls[${j}].id`,
        );
      }
      open.set(call.id, call);
    });
    calls.set(i, read);
  });
  requireAnswered();

  return {
    callsOf: (index) =>
      (calls.get(index) ?? []).map((call) => ({
        type: 'tool-call',
        toolCallId: call.id,
        toolName: call.name,
        input: call.input,
        // Read back by @ai-sdk/google into the functionCall part's `thoughtSignature`, which Gemini 3 requires.
        ...(call.thoughtSignature ? { providerOptions: { google: { thoughtSignature: call.thoughtSignature } } } : {}),
      })),
    resultOf: (index) => {
      const result = results.get(index);
      if (!result) throw new Error(`messages[${index}] is not a tool message`);
      return result;
    },
  };
}

/** An assistant turn: its text first, then its calls; undefined when it carries neither (Gemini refuses empty turns). */
export function assistantTurn(text: string, calls: readonly ToolCallPart[]): AssistantModelMessage | undefined {
  if (calls.length === 0) return text ? { role: 'assistant', content: text } : undefined;
  const content: (TextPart | ToolCallPart)[] = text ? [{ type: 'text', text }] : [];
  return { role: 'assistant', content: [...content, ...calls] };
}

function readToolCall(raw: unknown, param: string): ReadCall {
  if (!isJsonObject(raw)) throw invalidRequest(`${param} must be an object.`, param);
  if (raw.type === 'custom') {
    throw invalidRequest(
      `${param}.type "custom" is not supported: Gemini calls functions only.`,
      `${param}.type`,
      'unsupported_parameter',
    );
  }
  if (raw.type !== 'function') throw invalidRequest(`${param}.type must be "function".`, `${param}.type`);
  if (typeof raw.id !== 'string' || raw.id === '')
    throw invalidRequest(`${param}.id must be a non-empty string.`, `${param}.id`);
  const fn = raw.function;
  if (!isJsonObject(fn) || typeof fn.name !== 'string' || fn.name === '') {
    throw invalidRequest(`${param}.function.name must be a non-empty string.`, `${param}.function.name`);
  }
  if (typeof fn.arguments !== 'string') {
    throw invalidRequest(`${param}.function.arguments must be a string of JSON.`, `${param}.function.arguments`);
  }
  const signature =
    isJsonObject(raw.extra_content) && isJsonObject(raw.extra_content.google)
      ? raw.extra_content.google.thought_signature
      : undefined;
  return {
    id: raw.id,
    name: fn.name,
    input: parseArguments(fn.arguments, `${param}.function.arguments`),
    ...(typeof signature === 'string' && signature !== '' ? { thoughtSignature: signature } : {}),
  };
}

/** Gemini's functionCall.args is a JSON object; some clients send "" for a call without arguments. */
export function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  // Gemini gets the arguments back as a nested object, which the SDK and Gemini's own code walk recursively:
  // they are held to the depth schemas are, so thousands of levels are a 400 here instead of a stack overflow later.
  const deep = new JsonGuard({ ...DEFAULT_JSON_LIMITS, maxDepth: MAX_SCHEMA_DEPTH }).push(Buffer.from(text, 'utf8'));
  if (deep) {
    throw invalidRequest(
      `${param} is nested more than ${MAX_SCHEMA_DEPTH} levels deep (or holds more values than Iris reads).`,
      param,
      'json_too_complex',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(`${param} is not valid JSON.`, param);
  }
  if (!isJsonObject(value)) throw invalidRequest(`${param} must be a JSON object.`, param);
  return value;
}

function readToolMessage(message: Json, i: number): { id: string; text: string } {
  const id = message.tool_call_id;
  if (typeof id !== 'string' || id === '') {
    throw invalidRequest(`messages[${i}].tool_call_id must be a non-empty string.`, `messages[${i}].tool_call_id`);
  }
  const content = message.content;
  if (typeof content === 'string') return { id, text: content };
  if (Array.isArray(content)) {
    const texts = content.map((part, j) => {
      if (!isJsonObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
        throw invalidRequest(`messages[${i}].content[${j}] must be a text part.`, `messages[${i}].content[${j}]`);
      }
      return part.text;
    });
    return { id, text: texts.join('\n') };
  }
  throw invalidRequest(`messages[${i}].content must be a string or an array of text parts.`, `messages[${i}].content`);
}
