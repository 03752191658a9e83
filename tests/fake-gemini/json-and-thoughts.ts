/**
 * JSON mode and thought summaries, as Gemini does them:
 *
 * - With `generationConfig.responseMimeType: "application/json"` the answer is JSON. With a schema
 *   (`responseJsonSchema`, or the older `responseSchema`) it is a value synthesised from the schema, deterministically:
 *   strings "example", numbers and integers 1 (moved into minimum/maximum), booleans true, the first enum value,
 *   arrays of one item (or minItems), every property present, the first non-null branch of anyOf/oneOf, `$ref`s
 *   followed into `$defs`. Without a schema it is `{"answer": "<the usual description of what arrived>"}`.
 *   It is pretty-printed so a stream has several pieces and a token limit truncates it, as with Gemini.
 * - `[fake:json:RAW]` forces the answer text to RAW verbatim (up to the first `]` that ends the text or precedes
 *   whitespace), to test what a gateway does with output that breaks the schema or is not JSON at all.
 * - A schema keyword outside Gemini's documented responseJsonSchema subset is refused with a 400, as is a `$ref`
 *   with siblings other than `$` keys, so a gateway that forwards what Gemini cannot take is caught.
 * - Thoughts (`[fake:thinking]`) are only returned as `thought: true` parts when the request sets
 *   `generationConfig.thinkingConfig.includeThoughts: true`; otherwise they are only counted, as Gemini does.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function includeThoughts(generationConfig: Json | null): boolean {
  const thinking = generationConfig?.thinkingConfig;
  return isObject(thinking) && thinking.includeThoughts === true;
}

const FORCED_JSON = /\[fake:json:([\s\S]*?)\](?=\s|$)/;

export function forcedJson(lastUserText: string): string | null {
  return FORCED_JSON.exec(lastUserText)?.[1] ?? null;
}

/** The answer text in JSON mode (or a forced value), or null when the request wants plain text. */
export function jsonAnswerText(generationConfig: Json | null, lastUserText: string, fallback: string): string | null {
  const forced = forcedJson(lastUserText);
  if (forced !== null) return forced;
  if (generationConfig?.responseMimeType !== 'application/json') return null;
  const schema = generationConfig.responseJsonSchema ?? generationConfig.responseSchema;
  const value = isObject(schema) ? synthesize(schema, schema, 0) : { answer: fallback };
  return JSON.stringify(value, null, 2);
}

const MAX_DEPTH = 8;

export function synthesize(schema: Json, root: Json, depth: number): unknown {
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    return target && depth < MAX_DEPTH ? synthesize(target, root, depth + 1) : null;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) {
    const branch = union.find((b) => isObject(b) && b.type !== 'null' && b.type !== 'NULL') ?? union[0];
    return isObject(branch) ? synthesize(branch, root, depth + 1) : null;
  }
  switch (typeOf(schema)) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      if (depth >= MAX_DEPTH) return {};
      return Object.fromEntries(
        Object.entries(properties).map(([name, sub]) => [
          name,
          isObject(sub) ? synthesize(sub, root, depth + 1) : null,
        ]),
      );
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = isObject(schema.items) ? schema.items : {};
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.filter(isObject) : [];
      if (prefix.length > 0) return prefix.map((p) => synthesize(p, root, depth + 1));
      if (depth >= MAX_DEPTH) return [];
      return Array.from({ length: count }, () => synthesize(items, root, depth + 1));
    }
    case 'integer':
    case 'number':
      return clamp(1, schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.format === 'date-time' ? '2025-01-01T00:00:00Z' : 'example';
  }
}

/** The first non-null type, lower-cased so the OpenAPI-style `responseSchema` (`OBJECT`) reads the same. */
function typeOf(schema: Json): string {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const first = types.find((t) => typeof t === 'string' && t.toLowerCase() !== 'null') ?? types[0];
  if (typeof first === 'string') return first.toLowerCase();
  return isObject(schema.properties) ? 'object' : 'string';
}

function clamp(n: number, schema: Json): number {
  let value = n;
  if (typeof schema.minimum === 'number') value = Math.max(value, schema.minimum);
  if (typeof schema.maximum === 'number') value = Math.min(value, schema.maximum);
  return value;
}

function resolveRef(ref: string, root: Json): Json | null {
  if (ref === '#') return root;
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  const defs = root.$defs;
  if (!match?.[1] || !isObject(defs)) return null;
  const target = defs[match[1]];
  return isObject(target) ? target : null;
}

// Gemini's documented responseJsonSchema subset (GenerationConfig.responseJsonSchema).
const ALLOWED = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
]);

/** Google's 400 message for a responseJsonSchema Gemini would refuse, or null. */
export function validateResponseJsonSchema(body: unknown): string | null {
  const config = isObject(body) ? body.generationConfig : undefined;
  if (!isObject(config) || config.responseJsonSchema === undefined) return null;
  if (config.responseMimeType !== 'application/json') {
    return 'Fake Gemini: responseJsonSchema needs responseMimeType "application/json".';
  }
  const problem = checkNode(config.responseJsonSchema, 'responseJsonSchema');
  return problem === null ? null : `Fake Gemini: ${problem}`;
}

function checkNode(node: unknown, at: string): string | null {
  if (typeof node === 'boolean') return null;
  if (!isObject(node)) return `${at} must be a schema object.`;
  for (const key of Object.keys(node)) {
    if (!ALLOWED.has(key)) return `${at} uses "${key}", which Gemini's responseJsonSchema does not support.`;
  }
  if ('$ref' in node) {
    const sibling = Object.keys(node).find((k) => !k.startsWith('$'));
    if (sibling) return `${at} sets "${sibling}" beside "$ref"; only "$" keys may stand beside it.`;
  }
  if (Array.isArray(node.enum) && !node.enum.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return `${at}.enum may only hold strings and numbers.`;
  }
  for (const mapKey of ['properties', '$defs'] as const) {
    const map = node[mapKey];
    if (map === undefined) continue;
    if (!isObject(map)) return `${at}.${mapKey} must be an object.`;
    for (const [name, sub] of Object.entries(map)) {
      const problem = checkNode(sub, `${at}.${mapKey}.${name}`);
      if (problem) return problem;
    }
  }
  for (const listKey of ['anyOf', 'oneOf', 'prefixItems'] as const) {
    const list = node[listKey];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `${at}.${listKey} must be an array.`;
    for (const [i, sub] of list.entries()) {
      const problem = checkNode(sub, `${at}.${listKey}[${i}]`);
      if (problem) return problem;
    }
  }
  for (const subKey of ['items', 'additionalProperties'] as const) {
    if (node[subKey] === undefined) continue;
    const problem = checkNode(node[subKey], `${at}.${subKey}`);
    if (problem) return problem;
  }
  return null;
}
