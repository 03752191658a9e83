import { isJsonObject } from '@/lib/json-object';

/**
 * Turns a caller's JSON Schema (OpenAI `response_format.json_schema.schema`) into the subset Gemini's
 * `generationConfig.responseJsonSchema` documents: $id, $defs, $ref, $anchor, type, format, title, description,
 * enum (strings and numbers), items, prefixItems, minItems, maxItems, minimum, maximum, anyOf, oneOf, properties,
 * additionalProperties, required and propertyOrdering; and a `$ref` node may carry nothing but `$` keys.
 *
 * What clients generate that falls outside it is rewritten where the meaning survives (`const` → one-value `enum`,
 * `exclusiveMinimum` → `minimum`, `definitions` → `$defs`, `allOf` merged, `nullable` → a `null` type) and dropped
 * otherwise (`$schema`, `pattern`, `minLength`, `uniqueItems`, `default`, …): Gemini still decodes to the shape,
 * and the caller's own parser (zod in `parse()`, LangChain's) checks the finer constraints.
 */

export type JsonSchemaObject = { [key: string]: unknown };

/** Keywords whose value is kept as it is. */
const PLAIN_KEYWORDS = new Set([
  '$id',
  '$anchor',
  'title',
  'description',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'required',
  'propertyOrdering',
]);

// Gemini's documented formats; others (email, uri, uuid, …) would only be guessed at, and the caller's parser
// checks them anyway.
const FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'int32', 'int64', 'float', 'double']);

export function sanitizeResponseSchema(schema: JsonSchemaObject): JsonSchemaObject {
  return sanitizeNode(schema);
}

function sanitizeNode(node: JsonSchemaObject): JsonSchemaObject {
  const merged = mergeAllOf(node);
  if (typeof merged.$ref === 'string') {
    return { $ref: merged.$ref.replace(/^#\/definitions\//, '#/$defs/') };
  }
  const out: JsonSchemaObject = {};
  for (const [key, value] of Object.entries(merged)) {
    if (PLAIN_KEYWORDS.has(key)) out[key] = value;
    else if (key === 'type') out.type = value;
    else if (key === 'format' && typeof value === 'string' && FORMATS.has(value)) out.format = value;
    else if (key === 'enum' && Array.isArray(value) && value.every(isEnumValue)) out.enum = value;
    else if (key === 'const' && isEnumValue(value)) out.enum = [value];
    else if (key === 'properties' || key === '$defs' || key === 'definitions') {
      if (isJsonObject(value)) out[key === 'properties' ? 'properties' : '$defs'] = sanitizeMap(value);
    } else if (key === 'items') {
      // Draft-07 tuples (`items: [..]`) are 2020-12 `prefixItems`.
      if (Array.isArray(value)) out.prefixItems = value.map(sanitizeDefinition);
      else out.items = sanitizeDefinition(value);
    } else if (key === 'prefixItems' && Array.isArray(value)) out.prefixItems = value.map(sanitizeDefinition);
    else if (key === 'additionalProperties') out.additionalProperties = sanitizeDefinition(value);
    else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) out[key] = value.map(sanitizeDefinition);
  }
  applyExclusiveBounds(merged, out);
  if (merged.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

function sanitizeMap(map: JsonSchemaObject): JsonSchemaObject {
  return Object.fromEntries(Object.entries(map).map(([name, definition]) => [name, sanitizeDefinition(definition)]));
}

function sanitizeDefinition(definition: unknown): unknown {
  return isJsonObject(definition) ? sanitizeNode(definition) : definition;
}

function isEnumValue(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** `exclusiveMinimum: 0` on an integer means `minimum: 1`; on a number the nearest Gemini can say is `minimum: 0`. */
function applyExclusiveBounds(source: JsonSchemaObject, out: JsonSchemaObject): void {
  const integer = source.type === 'integer';
  const low = source.exclusiveMinimum;
  if (typeof low === 'number') {
    const bound = integer ? Math.floor(low) + 1 : low;
    out.minimum = typeof out.minimum === 'number' ? Math.max(out.minimum, bound) : bound;
  }
  const high = source.exclusiveMaximum;
  if (typeof high === 'number') {
    const bound = integer ? Math.ceil(high) - 1 : high;
    out.maximum = typeof out.maximum === 'number' ? Math.min(out.maximum, bound) : bound;
  }
}

/** zod and pydantic emit `allOf` for intersections and for a `$ref` with a description; Gemini has no `allOf`. */
function mergeAllOf(node: JsonSchemaObject): JsonSchemaObject {
  const { allOf, ...rest } = node;
  if (!Array.isArray(allOf)) return node;
  const members = allOf.filter(isJsonObject);
  if (members.length === 1 && typeof members[0]?.$ref === 'string') return members[0];
  const merged: JsonSchemaObject = { ...rest };
  for (const member of members.map(mergeAllOf)) {
    for (const [key, value] of Object.entries(member)) {
      if (key === 'properties' && isJsonObject(value)) {
        merged.properties = { ...(isJsonObject(merged.properties) ? merged.properties : {}), ...value };
      } else if (key === 'required' && Array.isArray(value)) {
        const required = Array.isArray(merged.required) ? merged.required : [];
        merged.required = [...new Set([...required, ...value])];
      } else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}
