import { google } from '@ai-sdk/google';
import { invalidRequest } from '@/lib/errors';
import { isJsonObject } from '@/lib/json-object';
import { type ToolCalling, toToolCalling } from '@/lib/openai/tools';

/**
 * Responses `tools` / `tool_choice` → the same AI SDK tools as Chat Completions (tools.ts), which already checks
 * names and rewrites schemas for Gemini. Responses spells a function flat (`{type, name, parameters}`) where Chat
 * Completions nests it (`{type, function: {…}}`); `custom` tools (free-form text input) become functions with one
 * string argument; a `namespace` groups functions, declared to Gemini as `<namespace>__<name>`. `web_search` is
 * Gemini's Google Search grounding. Built-in tools Gemini cannot serve are left out (agent clients send them on
 * every call), and the response says which.
 */

// OpenAI's names for its web search tool, dated and not.
const WEB_SEARCH = new Set([
  'web_search',
  'web_search_preview',
  'web_search_2025_08_26',
  'web_search_preview_2025_03_11',
]);
/** The name the SDK's Google Search tool goes by in the tool set; Gemini runs it, it never comes back as a call. */
export const GOOGLE_SEARCH_TOOL = 'google_search';

/** The one argument of a function standing in for a custom tool. */
export const CUSTOM_TOOL_INPUT = 'input';

export interface ResponsesToolCalling extends ToolCalling {
  /** Names of the custom tools, whose calls go back as `custom_tool_call` items. */
  customTools: ReadonlySet<string>;
  /** Gemini's name of each namespaced function → its namespace and own name. */
  namespaced: ReadonlyMap<string, { namespace: string; name: string }>;
  /** Built-in tools left out, for the `x-iris-ignored-tools` header. */
  ignored: string[];
}

type Json = Record<string, unknown>;

export function toResponsesTools(request: { tools?: unknown[] | null; tool_choice?: unknown }): ResponsesToolCalling {
  const customTools = new Set<string>();
  const namespaced = new Map<string, { namespace: string; name: string }>();
  const ignored: string[] = [];
  let webSearch = false;
  const chatTools: Json[] = [];
  // Chat Completions' params name the tool by its place there; errors must name the Responses param.
  const places: string[] = [];

  (request.tools ?? []).forEach((entry, i) => {
    const param = `tools[${i}]`;
    if (!isJsonObject(entry) || typeof entry.type !== 'string') {
      throw invalidRequest(`${param} must be an object with a "type".`, `${param}.type`);
    }
    if (entry.type === 'function') {
      chatTools.push(asChatFunction(entry));
      places.push(param);
    } else if (entry.type === 'custom') {
      const name = entry.name;
      chatTools.push({
        type: 'function',
        function: {
          name,
          description: typeof entry.description === 'string' ? entry.description : undefined,
          parameters: {
            type: 'object',
            properties: { [CUSTOM_TOOL_INPUT]: { type: 'string', description: 'The free-form input for the tool.' } },
            required: [CUSTOM_TOOL_INPUT],
          },
        },
      });
      places.push(param);
      if (typeof name === 'string') customTools.add(name);
    } else if (entry.type === 'namespace') {
      const namespace = entry.name;
      if (typeof namespace !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(namespace)) {
        throw invalidRequest(`${param}.name must be a namespace name (letters, digits, "_", "-").`, `${param}.name`);
      }
      if (!Array.isArray(entry.tools)) throw invalidRequest(`${param}.tools must list functions.`, `${param}.tools`);
      entry.tools.forEach((inner, k) => {
        if (!isJsonObject(inner) || inner.type !== 'function' || typeof inner.name !== 'string') {
          throw invalidRequest(`${param}.tools[${k}] must be a function tool.`, `${param}.tools[${k}]`);
        }
        const qualified = `${namespace}__${inner.name}`;
        namespaced.set(qualified, { namespace, name: inner.name });
        chatTools.push(asChatFunction({ ...inner, name: qualified }));
        places.push(`${param}.tools[${k}]`);
      });
    } else if (WEB_SEARCH.has(entry.type)) {
      webSearch = true;
    } else {
      ignored.push(entry.type);
    }
  });

  let calling: ToolCalling;
  try {
    const builtIns = new Set([...ignored, ...(webSearch ? WEB_SEARCH : [])]);
    calling = toToolCalling({ tools: chatTools, tool_choice: asChatChoice(request.tool_choice, builtIns) });
  } catch (error) {
    throw renamedParam(error, places);
  }
  if (webSearch) {
    const tools = { ...calling.tools, [GOOGLE_SEARCH_TOOL]: google.tools.googleSearch({}) };
    calling = { ...calling, tools };
  }
  return { ...calling, customTools, namespaced, ignored };
}

function asChatFunction(entry: Json): Json {
  return {
    type: 'function',
    function: { name: entry.name, description: entry.description, parameters: entry.parameters, strict: entry.strict },
  };
}

/** Responses' `tool_choice` in Chat Completions' spelling. */
function asChatChoice(choice: unknown, builtIns: ReadonlySet<string>): unknown {
  if (!isJsonObject(choice)) return choice;
  if (choice.type === 'function' || choice.type === 'custom') {
    if (typeof choice.name !== 'string') {
      throw invalidRequest('tool_choice.name must name one of the tools.', 'tool_choice.name');
    }
    return { type: 'function', function: { name: choice.name } };
  }
  if (choice.type === 'allowed_tools') {
    const tools = Array.isArray(choice.tools) ? choice.tools : [];
    return {
      type: 'allowed_tools',
      allowed_tools: {
        mode: choice.mode,
        tools: tools.map((t) => (isJsonObject(t) ? { type: 'function', function: { name: t.name } } : t)),
      },
    };
  }
  // A built-in cannot be forced: Gemini decides when to search, and one left out forces nothing.
  if (typeof choice.type === 'string' && builtIns.has(choice.type)) return 'auto';
  return choice;
}

/** `tools[3].function.name` (Chat Completions' place) → `tools[3].name` (where the caller sent it). */
function renamedParam(error: unknown, places: readonly string[]): unknown {
  if (!(error instanceof Error) || !('param' in error) || typeof error.param !== 'string') return error;
  const match = /^tools\[(\d+)\]\.?(?:function\.)?(.*)$/.exec(error.param);
  if (!match) return error;
  const place = places[Number(match[1])] ?? `tools[${match[1]}]`;
  const rest = match[2] ? `.${match[2]}` : '';
  const param = `${place}${rest}`;
  return Object.assign(error, {
    param,
    message: error.message.replace(/tools\[\d+\]\.(?:function\.)?/, `${place}.`),
  });
}
