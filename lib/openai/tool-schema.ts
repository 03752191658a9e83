import { invalidRequest } from '@/lib/errors';
import { isJsonObject } from '@/lib/json-object';
import { assertSchemaDepth } from '@/lib/openai/schema-depth';

/**
 * OpenAI function `parameters` (JSON Schema, as clients and zod/pydantic emit it) → a schema Gemini accepts in
 * `parametersJsonSchema`, where @ai-sdk/google 4 passes it through unchanged.
 *
 * Gemini documents a subset of JSON Schema ($defs/$ref, type, format, title, description, enum of strings and
 * numbers, items, prefixItems, minItems, maxItems, minimum, maximum, anyOf, oneOf, properties,
 * additionalProperties, required, propertyOrdering) and refuses some constructs outright ($ref with siblings,
 * `const`, type arrays, unknown formats are the ones users hit). So the schema is rebuilt from that subset:
 * local `$ref`s are inlined, `const`, `oneOf`, `allOf`, type arrays, `nullable` and exclusive bounds are
 * translated, and constraints Gemini has no keyword for are dropped, the meaningful ones (pattern, lengths,
 * formats) kept as a hint in `description` so the model still sees them.
 */

export type SchemaObject = Record<string, unknown>;

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

// Gemini's own format vocabulary; other formats (email, uri, uuid…) are refused, so they become hints.
const FORMATS_BY_TYPE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['string', new Set(['date-time', 'enum'])],
  ['number', new Set(['float', 'double'])],
  ['integer', new Set(['int32', 'int64'])],
]);

// Which kept keywords belong to which type, for splitting a type array into anyOf branches.
const KEYWORDS_BY_TYPE: ReadonlyMap<string, readonly string[]> = new Map([
  ['object', ['properties', 'required', 'additionalProperties', 'propertyOrdering']],
  ['array', ['items', 'prefixItems', 'minItems', 'maxItems']],
  ['string', ['format', 'enum']],
  ['number', ['format', 'enum', 'minimum', 'maximum']],
  ['integer', ['format', 'enum', 'minimum', 'maximum']],
  ['boolean', []],
  ['null', []],
]);

// Expanding $refs can multiply a schema; past this many nodes the caller's schema is refused, not sent.
const MAX_NODES = 5000;

interface Context {
  root: SchemaObject;
  param: string;
  nodes: number;
}

/** Returns the Gemini-ready schema of one function's parameters, or throws a 400 naming `param`. */
export function toGeminiToolSchema(parameters: unknown, param: string): SchemaObject {
  if (parameters === undefined || parameters === null) return { type: 'object', properties: {} };
  if (!isJsonObject(parameters)) throw problem(param, 'must be a JSON Schema object');
  assertSchemaDepth(parameters, param);
  const context: Context = { root: parameters, param, nodes: 0 };
  const schema = convert(parameters, '', [], context);
  if (schema.type === undefined && schema.anyOf === undefined) schema.type = 'object';
  if (schema.type !== 'object') {
    throw problem(
      param,
      `must describe an object (type "object"), not ${JSON.stringify(schema.type ?? 'a union')}: function arguments are always a JSON object`,
    );
  }
  schema.properties ??= {};
  return schema;
}

function convert(node: unknown, where: string, refs: readonly string[], context: Context): SchemaObject {
  if (node === true) return {};
  if (!isJsonObject(node)) {
    throw problem(
      context.param + where,
      node === false ? 'is `false`, a schema nothing matches' : 'must be a schema object',
    );
  }
  if (++context.nodes > MAX_NODES) {
    throw problem(context.param, `is too large once its $refs are expanded (more than ${MAX_NODES} schemas)`);
  }
  if (typeof node.$ref === 'string') return inlineRef(node, where, refs, context);

  const out: SchemaObject = {};
  const hints: string[] = [];
  const types = new Set<string>();
  let nullable = node.nullable === true;

  const type = node.type;
  if (typeof type === 'string') types.add(type);
  else if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') types.add(t);
  for (const t of types) {
    if (!PRIMITIVE_TYPES.has(t))
      throw problem(`${context.param}${where}.type`, `has unknown type ${JSON.stringify(t)}`);
  }

  for (const key of ['title', 'description'] as const) if (typeof node[key] === 'string') out[key] = node[key];
  for (const key of ['minItems', 'maxItems', 'minimum', 'maximum'] as const) {
    if (typeof node[key] === 'number') out[key] = node[key];
  }
  if (Array.isArray(node.propertyOrdering)) out.propertyOrdering = node.propertyOrdering.filter(isString);

  if (isJsonObject(node.properties)) {
    // fromEntries defines own keys, so a property named __proto__ stays a property instead of a prototype.
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([name, sub]) => [
        name,
        convert(sub, `${where}.properties.${name}`, refs, context),
      ]),
    );
  }
  if (Array.isArray(node.required)) {
    const known = isJsonObject(out.properties) ? out.properties : null;
    // Gemini refuses a required name that has no property; a schema without properties constrains nothing here.
    const required = node.required.filter((name): name is string => isString(name) && known !== null && name in known);
    if (required.length > 0) out.required = required;
  }
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isJsonObject(node.additionalProperties)) {
    out.additionalProperties = convert(node.additionalProperties, `${where}.additionalProperties`, refs, context);
  }

  if (Array.isArray(node.items)) {
    // Draft-04 tuples: items as an array is today's prefixItems.
    out.prefixItems = node.items.map((sub, k) => convert(sub, `${where}.items[${k}]`, refs, context));
  } else if (node.items !== undefined && node.items !== false) {
    out.items = convert(node.items, `${where}.items`, refs, context);
  }
  if (Array.isArray(node.prefixItems)) {
    out.prefixItems = node.prefixItems.map((sub, k) => convert(sub, `${where}.prefixItems[${k}]`, refs, context));
  }

  const union = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : null;
  if (union) {
    const key = Array.isArray(node.oneOf) ? 'oneOf' : 'anyOf';
    // oneOf is documented as read like anyOf; saying anyOf keeps the schema honest about what is checked.
    out.anyOf = union.map((sub, k) => convert(sub, `${where}.${key}[${k}]`, refs, context));
  }
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((sub, k) => {
      mergeInto(out, convert(sub, `${where}.allOf[${k}]`, refs, context));
    });
  }

  if ('const' in node) {
    const value = node.const;
    if (value === null) nullable = true;
    else if (typeof value === 'string' || typeof value === 'number') {
      out.enum = [value];
      if (types.size === 0) types.add(typeof value === 'string' ? 'string' : 'number');
    } else {
      if (typeof value === 'boolean' && types.size === 0) types.add('boolean');
      hints.push(`must be ${JSON.stringify(value)}`);
    }
  }
  if (Array.isArray(node.enum)) {
    const values = node.enum;
    if (values.includes(null)) nullable = true;
    const rest = values.filter((v) => v !== null);
    if (rest.every((v) => typeof v === 'string' || typeof v === 'number')) {
      if (rest.length > 0) out.enum = rest;
    } else hints.push(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }

  if (typeof node.format === 'string') {
    const allowed = [...types].some((t) => FORMATS_BY_TYPE.get(t)?.has(node.format as string));
    if (allowed) out.format = node.format;
    else hints.push(`format: ${node.format}`);
  }
  translateExclusiveBounds(node, types, out, hints);
  if (typeof node.pattern === 'string') hints.push(`pattern: ${node.pattern}`);
  if (typeof node.minLength === 'number') hints.push(`at least ${node.minLength} characters`);
  if (typeof node.maxLength === 'number') hints.push(`at most ${node.maxLength} characters`);
  if (typeof node.multipleOf === 'number') hints.push(`a multiple of ${node.multipleOf}`);
  if (node.uniqueItems === true) hints.push('items must be unique');

  if (hints.length > 0) {
    const hint = `(${hints.join('; ')})`;
    out.description = typeof out.description === 'string' ? `${out.description} ${hint}` : hint;
  }
  if (types.size === 0 && Array.isArray(out.enum)) {
    for (const v of out.enum) types.add(typeof v === 'string' ? 'string' : 'number');
  }
  if (nullable) {
    // `nullable` beside no type at all says nothing about the other values; only a bare `const: null` is null-only.
    if (types.size > 0 || ('const' in node && node.const === null)) types.add('null');
    else if (Array.isArray(out.anyOf) && !out.anyOf.some((b) => isJsonObject(b) && b.type === 'null')) {
      out.anyOf = [...out.anyOf, { type: 'null' }];
    }
  }
  return applyTypes(out, types);
}

/** A single type is kept as is; several (incl. `null` from nullable/enum/const) become anyOf branches. */
function applyTypes(out: SchemaObject, types: Set<string>): SchemaObject {
  if (types.size === 0) return out;
  if (types.size === 1) {
    const [only] = types;
    return { type: only, ...out };
  }
  const generic: SchemaObject = {};
  for (const key of ['title', 'description'] as const) if (out[key] !== undefined) generic[key] = out[key];
  const branches = [...types].map((t) => {
    const branch: SchemaObject = { type: t };
    for (const key of KEYWORDS_BY_TYPE.get(t) ?? []) {
      if (out[key] === undefined) continue;
      if (key === 'enum') {
        const values = (out.enum as unknown[]).filter((v) => (t === 'string' ? isString(v) : typeof v === 'number'));
        if (values.length > 0) branch.enum = values;
      } else if (key === 'format') {
        if (FORMATS_BY_TYPE.get(t)?.has(out.format as string)) branch.format = out.format;
      } else branch[key] = out[key];
    }
    return branch;
  });
  // An existing anyOf (rare beside a type array) is intersected away; the type list is the stronger statement.
  return { ...generic, anyOf: branches };
}

function translateExclusiveBounds(node: SchemaObject, types: Set<string>, out: SchemaObject, hints: string[]) {
  const integer = types.size === 1 && types.has('integer');
  const bounds = [
    ['exclusiveMinimum', 'minimum', 1, 'greater than'],
    ['exclusiveMaximum', 'maximum', -1, 'less than'],
  ] as const;
  for (const [exclusive, inclusive, step, words] of bounds) {
    const value = node[exclusive];
    if (typeof value !== 'number') continue; // draft-04 booleans only modify minimum/maximum
    // For integers "> 0" is exactly ">= 1"; for numbers Gemini has no exclusive bound, so it is only told.
    if (integer && Number.isInteger(value) && out[inclusive] === undefined) out[inclusive] = value + step;
    else hints.push(`${words} ${value}`);
  }
}

function inlineRef(node: SchemaObject, where: string, refs: readonly string[], context: Context): SchemaObject {
  const ref = node.$ref as string;
  const { $ref: _ref, ...siblings } = node;
  const at = `${context.param}${where}.$ref`;
  if (!ref.startsWith('#')) {
    throw problem(at, `${JSON.stringify(ref)} points outside the schema; only local references ("#/$defs/…") work`);
  }
  const target = resolvePointer(context.root, ref);
  if (target === undefined) throw problem(at, `${JSON.stringify(ref)} does not resolve to anything in the schema`);

  let resolved: SchemaObject;
  if (refs.includes(ref)) {
    // Recursion: Gemini unrolls cycles only a little and refuses them in required properties, so the cycle is
    // cut here, keeping the type and saying what was left out.
    const targetType = isJsonObject(target) && typeof target.type === 'string' ? target.type : undefined;
    const note = `(recursive ${ref}, not expanded further)`;
    const description = isJsonObject(target) && typeof target.description === 'string' ? target.description : undefined;
    resolved = {
      ...(targetType && PRIMITIVE_TYPES.has(targetType) ? { type: targetType } : {}),
      description: description ? `${description} ${note}` : note,
    };
  } else resolved = convert(target, where, [...refs, ref], context);

  const rest = Object.keys(siblings).filter((k) => k !== '$defs' && k !== 'definitions');
  if (rest.length === 0) return resolved;
  // Siblings of $ref (a description, a default) refine the target; Gemini refuses them side by side.
  return mergeInto({ ...resolved }, convert(siblings, where, refs, context), true);
}

/** Merges `extra` into `base` (allOf, $ref siblings): properties and required add up; other keys keep the first. */
function mergeInto(base: SchemaObject, extra: SchemaObject, extraWins = false): SchemaObject {
  for (const [key, value] of Object.entries(extra)) {
    if (key === 'properties' && isJsonObject(base.properties) && isJsonObject(value)) {
      base.properties = { ...base.properties, ...value };
    } else if (key === 'required' && Array.isArray(base.required) && Array.isArray(value)) {
      base.required = [...new Set([...base.required, ...value])];
    } else if (base[key] === undefined || extraWins) base[key] = value;
  }
  return base;
}

/** Resolves a local JSON Pointer such as `#/$defs/Address` or `#` itself. */
function resolvePointer(root: SchemaObject, ref: string): unknown {
  const pointer = ref.slice(1);
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined; // `#anchor` names are not resolved
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodePointerSegment(raw);
    if (key === undefined) return undefined;
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isJsonObject(current) && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

/** A JSON Pointer segment in a URI fragment: percent-escapes, then ~1 and ~0. Malformed escapes resolve nothing. */
function decodePointerSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
  } catch {
    return undefined;
  }
}

function problem(param: string, what: string) {
  return invalidRequest(`${param} ${what}.`, param, 'invalid_function_parameters');
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
