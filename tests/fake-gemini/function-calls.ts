import { inspect } from './inspect.ts';
import type { ReplyContext } from './reply.ts';
import { splitIntoChunks } from './reply.ts';

/**
 * Function calling, as Gemini does it on the wire (tests/fixtures/gemini-wire/google-tool-call*.json,
 * *.chunks.txt and google-stream-*tool-call*.chunks.txt):
 *
 * - `[fake:call:NAME:{"json":"args"}]` in the last user turn makes the model call NAME with those arguments;
 *   `[fake:call:NAME]` calls it without arguments (no `args`, like the recording). Repeat it for parallel calls.
 *   Calls are only made when the request declares functions and toolConfig allows them: mode NONE answers with
 *   text, mode ANY without a directive calls the first allowed function with `{}`, allowedFunctionNames filters.
 * - The first call carries a `thoughtSignature`, as Gemini's parallel calls do (the others carry none).
 * - Streamed, each call arrives whole in its own chunk, then a `{"text":""}` chunk with finishReason STOP (the
 *   Gemini API's shape). `[fake:stream-args]` streams the arguments in `partialArgs` fragments instead, ending each
 *   call with an empty `functionCall` (the shape of Vertex's streamFunctionCallArguments recording).
 * - When the last turn is function responses, the answer is text quoting them, so a tool loop ends.
 * - The request is refused as Gemini refuses it: a Gemini 3 model-turn function call of the current turn without
 *   a thought signature (the documented `skip_thought_signature_validator` passes), a call turn not answered by as
 *   many function responses, a bad function name, a `$ref` with siblings.
 * - What arrived is recorded (`RecordedRequest.functionCalling`) so tests can assert the round trip.
 */

type Json = Record<string, unknown>;

export interface RecordedFunctionPart {
  /** Index of the content (turn) in the request. */
  turn: number;
  role: string;
  functionCall?: Json;
  functionResponse?: Json;
  thoughtSignature?: string;
}

export interface RecordedFunctionCalling {
  tools: unknown;
  toolConfig: unknown;
  /** Every functionCall and functionResponse part, in order. */
  parts: RecordedFunctionPart[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const partsOf = (content: unknown): Json[] =>
  isObject(content) && Array.isArray(content.parts) ? content.parts.filter(isObject) : [];
const contentsOf = (body: unknown): Json[] =>
  isObject(body) && Array.isArray(body.contents) ? body.contents.filter(isObject) : [];

/** Whether a `[fake:…]` directive belongs to this module (directives.ts skips these). */
export function isFunctionCallDirective(raw: string): boolean {
  return raw.startsWith('call:') || raw === 'stream-args';
}

export function recordFunctionCalling(body: unknown): RecordedFunctionCalling | null {
  const parts: RecordedFunctionPart[] = [];
  contentsOf(body).forEach((content, turn) => {
    for (const part of partsOf(content)) {
      if (!isObject(part.functionCall) && !isObject(part.functionResponse)) continue;
      parts.push({
        turn,
        role: String(content.role),
        ...(isObject(part.functionCall) ? { functionCall: part.functionCall } : {}),
        ...(isObject(part.functionResponse) ? { functionResponse: part.functionResponse } : {}),
        ...(typeof part.thoughtSignature === 'string' ? { thoughtSignature: part.thoughtSignature } : {}),
      });
    }
  });
  const tools = isObject(body) ? body.tools : undefined;
  const toolConfig = isObject(body) ? body.toolConfig : undefined;
  if (tools === undefined && toolConfig === undefined && parts.length === 0) return null;
  return { tools: tools ?? null, toolConfig: toolConfig ?? null, parts };
}

// Gemini's rule for function names (its 400 says so in these words).
const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;

/** Google's 400 message for a request Gemini refuses for function-calling reasons, or null. */
export function validateFunctionCalling(body: unknown, model: string): string | null {
  try {
    parseCallDirectives(inspect(body).lastUserText);
  } catch (error) {
    return (error as Error).message;
  }
  const declarations = functionDeclarations(body);
  for (const [k, declaration] of declarations.entries()) {
    const name = declaration.name;
    if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
      return `* GenerateContentRequest.tools[0].function_declarations[${k}].name: Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:) or dashes (-), with a maximum length of 64.\n`;
    }
    const refProblem = refWithSiblings(declaration.parametersJsonSchema);
    if (refProblem) return refProblem;
  }
  const contents = contentsOf(body);
  for (const [i, content] of contents.entries()) {
    const calls = partsOf(content).filter((p) => isObject(p.functionCall)).length;
    if (content.role !== 'model' || calls === 0) continue;
    const answers = partsOf(contents[i + 1]).filter((p) => isObject(p.functionResponse)).length;
    if (answers !== calls) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  if (model.includes('gemini-3')) return missingSignature(contents);
  return null;
}

/** Gemini 3 checks the current turn only: everything after the last user message that is not function responses. */
function missingSignature(contents: Json[]): string | null {
  const lastPrompt = contents.findLastIndex(
    (c) => c.role === 'user' && partsOf(c).some((p) => !isObject(p.functionResponse)),
  );
  let position = 0;
  for (const content of contents.slice(lastPrompt + 1)) {
    const calls = partsOf(content).filter((p) => isObject(p.functionCall));
    position += partsOf(content).length;
    if (content.role !== 'model' || calls.length === 0) continue;
    const first = calls[0] as Json;
    const signature = first.thoughtSignature;
    // Any signature passes here, the documented `skip_thought_signature_validator` included, as with Gemini.
    if (typeof signature !== 'string' || signature === '') {
      const name = (first.functionCall as Json).name;
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${String(name)}\` , position ${position}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
  }
  return null;
}

function refWithSiblings(schema: unknown): string | null {
  if (Array.isArray(schema)) {
    for (const item of schema) {
      const found = refWithSiblings(item);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(schema)) return null;
  if (typeof schema.$ref === 'string') {
    const others = Object.keys(schema).filter((k) => !k.startsWith('$') && k !== 'description' && k !== 'default');
    if (others.length > 0) {
      return `$ref '${schema.$ref}' was set alongside unsupported fields. If a schema node has $ref set, then only description and default can be set alongside it.`;
    }
  }
  for (const value of Object.values(schema)) {
    const found = refWithSiblings(value);
    if (found) return found;
  }
  return null;
}

function functionDeclarations(body: unknown): Json[] {
  const tools = isObject(body) && Array.isArray(body.tools) ? body.tools : [];
  return tools
    .flatMap((t) => (isObject(t) && Array.isArray(t.functionDeclarations) ? t.functionDeclarations : []))
    .filter(isObject);
}

interface PlannedCall {
  name: string;
  args?: Json;
}

const CALL_START = /\[fake:call:([A-Za-z0-9_.-]+)(:|\])/g;

/** The `[fake:call:…]` directives in order; the arguments run to the first `}]` that closes valid JSON. */
export function parseCallDirectives(text: string): PlannedCall[] {
  const calls: PlannedCall[] = [];
  for (const match of text.matchAll(CALL_START)) {
    const name = match[1] as string;
    if (match[2] === ']') {
      calls.push({ name });
      continue;
    }
    const argsStart = (match.index ?? 0) + match[0].length;
    let end = text.indexOf('}]', argsStart);
    let args: Json | undefined;
    while (end !== -1 && args === undefined) {
      try {
        const value: unknown = JSON.parse(text.slice(argsStart, end + 1));
        if (isObject(value)) args = value;
      } catch {
        // not the closing brace yet
      }
      if (args === undefined) end = text.indexOf('}]', end + 1);
    }
    if (args === undefined) throw new Error(`Fake Gemini: [fake:call:${name}:…] needs a JSON object as arguments.`);
    calls.push({ name, args });
  }
  return calls;
}

type Plan = { kind: 'calls'; calls: PlannedCall[] } | { kind: 'responses'; responses: Json[] };

function plan(body: unknown, lastUserText: string): Plan | null {
  const contents = contentsOf(body);
  const last = contents.at(-1);
  const responses = partsOf(last)
    .map((p) => p.functionResponse)
    .filter(isObject);
  if (last?.role === 'user' && responses.length > 0) return { kind: 'responses', responses };

  const declared = functionDeclarations(body)
    .map((d) => d.name)
    .filter((n): n is string => typeof n === 'string');
  const config = isObject(body) && isObject(body.toolConfig) ? body.toolConfig.functionCallingConfig : undefined;
  const mode = isObject(config) && typeof config.mode === 'string' ? config.mode : 'AUTO';
  if (declared.length === 0 || mode === 'NONE') return null;
  const allowed =
    isObject(config) && Array.isArray(config.allowedFunctionNames)
      ? config.allowedFunctionNames.filter((n): n is string => typeof n === 'string')
      : declared;
  const calls = parseCallDirectives(lastUserText).filter((c) => allowed.includes(c.name));
  if (calls.length === 0 && mode === 'ANY') calls.push({ name: allowed[0] ?? (declared[0] as string), args: {} });
  return calls.length > 0 ? { kind: 'calls', calls } : null;
}

export interface FunctionCallReply {
  json: Json;
  chunks: Json[];
}

/** The reply when the request is about function calls; null leaves it to the ordinary text reply. */
export function functionCallReply(body: unknown, ctx: ReplyContext): FunctionCallReply | null {
  const p = plan(body, ctx.inspection.lastUserText);
  if (p === null) return null;
  if (p.kind === 'responses') return responsesReply(p.responses, ctx);
  const streamArgs = /\[fake:stream-args\]/.test(ctx.inspection.lastUserText);
  return {
    json: callsJson(p.calls, ctx),
    chunks: streamArgs ? partialArgChunks(p.calls, ctx) : callChunks(p.calls, ctx),
  };
}

const signatureFor = (ctx: ReplyContext) =>
  Buffer.from(`fake-function-call-signature:${ctx.responseId}:${ctx.model}`).toString('base64');

function callPart(call: PlannedCall, k: number, ctx: ReplyContext): Json {
  return {
    functionCall: { name: call.name, ...(call.args ? { args: call.args } : {}) },
    ...(k === 0 ? { thoughtSignature: signatureFor(ctx) } : {}),
  };
}

const CALL_TOKENS = 15;

function usage(ctx: ReplyContext, candidates: number): Json {
  const prompt = Math.max(1, Math.ceil(ctx.inspection.promptChars / 4));
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
}

function envelope(ctx: ReplyContext, candidate: Json, usageMetadata: Json): Json {
  return { candidates: [candidate], usageMetadata, modelVersion: ctx.model, responseId: ctx.responseId };
}

function callsJson(calls: PlannedCall[], ctx: ReplyContext): Json {
  return envelope(
    ctx,
    {
      content: { parts: calls.map((c, k) => callPart(c, k, ctx)), role: 'model' },
      finishReason: 'STOP',
      index: 0,
      finishMessage: 'Model generated function call(s).',
    },
    usage(ctx, CALL_TOKENS * calls.length),
  );
}

function callChunks(calls: PlannedCall[], ctx: ReplyContext): Json[] {
  const total = usage(ctx, CALL_TOKENS * calls.length);
  return [
    ...calls.map((c, k) =>
      envelope(ctx, { content: { parts: [callPart(c, k, ctx)], role: 'model' }, index: 0 }, total),
    ),
    envelope(ctx, { content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }, total),
  ];
}

/** Vertex's streamed arguments: a named start, one partialArgs fragment list per leaf, an empty call to end. */
function partialArgChunks(calls: PlannedCall[], ctx: ReplyContext): Json[] {
  const streaming = { trafficType: 'ON_DEMAND' };
  const chunk = (part: Json, extra: Json = {}, usageMetadata: Json = streaming) =>
    envelope(ctx, { content: { role: 'model', parts: [part] }, ...extra }, usageMetadata);
  const chunks: Json[] = [];
  calls.forEach((call, k) => {
    const start = callPart({ name: call.name }, k, ctx);
    chunks.push(chunk({ ...start, functionCall: { name: call.name, willContinue: true } }));
    for (const fragment of leafFragments(call.args ?? {}, '$')) {
      chunks.push(chunk({ functionCall: { partialArgs: [fragment], willContinue: true } }));
    }
    const last = k === calls.length - 1;
    chunks.push(
      chunk(
        { functionCall: {} },
        last ? { finishReason: 'STOP' } : {},
        last ? { ...usage(ctx, CALL_TOKENS * calls.length), ...streaming } : streaming,
      ),
    );
  });
  return chunks;
}

/** Each leaf as partialArgs entries; a string comes in two pieces and an empty closing piece, as recorded. */
function leafFragments(value: unknown, path: string): Json[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ jsonPath: `${path}[]` }];
    return value.flatMap((item, i) => leafFragments(item, `${path}[${i}]`));
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return path === '$' ? [] : [{ jsonPath: path }];
    return entries.flatMap(([key, item]) => leafFragments(item, `${path}.${key}`));
  }
  if (typeof value === 'string') {
    if (value.length < 2) return [{ jsonPath: path, stringValue: value }];
    const half = Math.ceil(value.length / 2);
    return [
      { jsonPath: path, stringValue: value.slice(0, half), willContinue: true },
      { jsonPath: path, stringValue: value.slice(half), willContinue: true },
      { jsonPath: path, stringValue: '' },
    ];
  }
  if (typeof value === 'number') return [{ jsonPath: path, numberValue: value }];
  if (typeof value === 'boolean') return [{ jsonPath: path, boolValue: value }];
  return [{ jsonPath: path, nullValue: 'NULL_VALUE' }];
}

/** The text answer after function responses: it quotes each response, so tests see what came back. */
export function responsesText(responses: Json[]): string {
  const quoted = responses.map((r) => `${String(r.name)} answered ${JSON.stringify(r.response ?? null)}`);
  return `Fake Gemini received ${responses.length} function response${responses.length === 1 ? '' : 's'}: ${quoted.join('; ')}`;
}

function responsesReply(responses: Json[], ctx: ReplyContext): FunctionCallReply {
  const text = responsesText(responses);
  const pieces = splitIntoChunks(text, ctx.scenario.chunks);
  const words = text.split(/\s+/).length;
  return {
    json: envelope(
      ctx,
      { content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 },
      usage(ctx, words),
    ),
    chunks: pieces.map((piece, k) =>
      envelope(
        ctx,
        {
          content: { parts: [{ text: piece }], role: 'model' },
          ...(k === pieces.length - 1 ? { finishReason: 'STOP' } : {}),
          index: 0,
        },
        usage(ctx, words),
      ),
    ),
  };
}
