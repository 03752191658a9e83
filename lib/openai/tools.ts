import { type JSONSchema7, jsonSchema, type ToolChoice, type ToolSet, tool } from 'ai';
import { invalidRequest } from '@/lib/errors';
import { isJsonObject } from '@/lib/json-object';
import type { ChatCompletionRequest } from '@/lib/openai/request-schema';
import { toGeminiToolSchema } from '@/lib/openai/tool-schema';

/**
 * OpenAI `tools` / `tool_choice` → AI SDK tools without `execute`, so every call Gemini makes comes back to the
 * caller (tool-calls.ts maps those calls back).
 */

export interface ToolCalling {
  tools?: ToolSet;
  toolChoice?: ToolChoice<ToolSet>;
}

// OpenAI's rule for function names, narrowed by Gemini's: Gemini wants a letter or underscore first.
const OPENAI_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const GEMINI_FIRST_CHARACTER = /^[a-zA-Z_]/;

type Json = Record<string, unknown>;

/** Validates `tools` and `tool_choice` and maps them, or throws a 400 that names the offending `param`. */
export function toToolCalling(request: Pick<ChatCompletionRequest, 'tools' | 'tool_choice'>): ToolCalling {
  // Without a prototype, a function named __proto__ is a key like any other instead of vanishing.
  const tools: ToolSet = Object.create(null);
  (request.tools ?? []).forEach((entry, i) => {
    const { name, definition } = toolDefinition(entry, `tools[${i}]`);
    if (Object.hasOwn(tools, name)) {
      throw invalidRequest(`tools[${i}].function.name "${name}" is declared twice.`, `tools[${i}].function.name`);
    }
    tools[name] = definition;
  });
  const names = Object.keys(tools);
  const choice = request.tool_choice;
  if (choice === undefined || choice === null) return names.length > 0 ? { tools } : {};
  if (choice === 'none' || choice === 'auto') return names.length > 0 ? { tools, toolChoice: choice } : {};
  if (names.length === 0) {
    throw invalidRequest('tool_choice other than "none" or "auto" needs `tools` to choose from.', 'tool_choice');
  }
  if (choice === 'required') return { tools, toolChoice: 'required' };
  if (!isJsonObject(choice)) {
    throw invalidRequest(
      'tool_choice must be "none", "auto", "required" or {"type":"function","function":{"name":…}}.',
      'tool_choice',
    );
  }
  if (choice.type === 'function') {
    const name = isJsonObject(choice.function) ? choice.function.name : undefined;
    return { tools, toolChoice: { type: 'tool', toolName: knownName(name, names, 'tool_choice.function.name') } };
  }
  if (choice.type === 'allowed_tools') return allowedTools(choice, tools);
  if (choice.type === 'custom') {
    throw invalidRequest(
      'Custom tools are not supported: Gemini calls functions only.',
      'tool_choice.type',
      'unsupported_parameter',
    );
  }
  throw invalidRequest(`tool_choice.type ${JSON.stringify(choice.type)} is not one Iris knows.`, 'tool_choice.type');
}

/** `{type:"allowed_tools"}` limits the model to some of the tools: the others are simply not declared to Gemini. */
function allowedTools(choice: Json, tools: ToolSet): ToolCalling {
  const allowed = choice.allowed_tools;
  if (!isJsonObject(allowed) || !Array.isArray(allowed.tools) || allowed.tools.length === 0) {
    throw invalidRequest(
      'tool_choice.allowed_tools.tools must list at least one tool.',
      'tool_choice.allowed_tools.tools',
    );
  }
  const mode = allowed.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'required') {
    throw invalidRequest(
      'tool_choice.allowed_tools.mode must be "auto" or "required".',
      'tool_choice.allowed_tools.mode',
    );
  }
  const subset: ToolSet = Object.create(null);
  allowed.tools.forEach((entry, k) => {
    const param = `tool_choice.allowed_tools.tools[${k}]`;
    if (!isJsonObject(entry) || entry.type !== 'function' || !isJsonObject(entry.function)) {
      throw invalidRequest(`${param} must be {"type":"function","function":{"name":…}}.`, param);
    }
    const name = knownName(entry.function.name, Object.keys(tools), `${param}.function.name`);
    subset[name] = tools[name] as ToolSet[string];
  });
  return { tools: subset, toolChoice: mode };
}

function knownName(name: unknown, names: readonly string[], param: string): string {
  if (typeof name !== 'string' || !names.includes(name)) {
    throw invalidRequest(
      `${param} must name one of the declared functions (${names.map((n) => JSON.stringify(n)).join(', ')}).`,
      param,
    );
  }
  return name;
}

function toolDefinition(entry: unknown, param: string): { name: string; definition: ToolSet[string] } {
  if (!isJsonObject(entry)) throw invalidRequest(`${param} must be an object.`, param);
  if (entry.type === 'custom') {
    throw invalidRequest(
      `${param}.type "custom" is not supported: Gemini calls functions with JSON arguments only.`,
      `${param}.type`,
      'unsupported_parameter',
    );
  }
  if (entry.type !== 'function') throw invalidRequest(`${param}.type must be "function".`, `${param}.type`);
  const fn = entry.function;
  if (!isJsonObject(fn)) throw invalidRequest(`${param}.function is required.`, `${param}.function`);
  const name = fn.name;
  if (typeof name !== 'string' || !OPENAI_NAME.test(name)) {
    throw invalidRequest(`${param}.function.name must be 1-64 letters, digits, "_" or "-".`, `${param}.function.name`);
  }
  if (!GEMINI_FIRST_CHARACTER.test(name)) {
    throw invalidRequest(
      `${param}.function.name "${name}" must start with a letter or "_": Gemini refuses other function names.`,
      `${param}.function.name`,
    );
  }
  if (fn.description != null && typeof fn.description !== 'string') {
    throw invalidRequest(`${param}.function.description must be a string.`, `${param}.function.description`);
  }
  if (fn.strict != null && typeof fn.strict !== 'boolean') {
    throw invalidRequest(`${param}.function.strict must be a boolean.`, `${param}.function.strict`);
  }
  const schema = toGeminiToolSchema(fn.parameters, `${param}.function.parameters`);
  return {
    name,
    definition: tool({
      description: typeof fn.description === 'string' ? fn.description : undefined,
      inputSchema: jsonSchema(schema as JSONSchema7),
      // Gemini's VALIDATED mode checks calls against the schema, the nearest thing to OpenAI's strict.
      ...(fn.strict === true ? { strict: true } : {}),
    }),
  };
}
