// Validates values against schemas of the official OpenAI spec (github.com/openai/openai-openapi, MIT), using the
// subset that scripts/extract-openapi-schemas.mjs copies into tests/fixtures/openai-schemas.json, so tests never
// need the full spec on disk. Works under Vitest and Playwright alike (plain ESM, no JSON import attributes).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export type OpenAISchemaName =
  | 'CreateChatCompletionResponse'
  | 'CreateChatCompletionStreamResponse'
  | 'CreateEmbeddingRequest'
  | 'CreateEmbeddingResponse'
  | 'ErrorResponse'
  | 'ListModelsResponse'
  | 'Model'
  | 'CreateChatCompletionRequest'
  | 'CreateResponse'
  | 'Response'
  | 'ResponseItemList'
  | 'ResponseStreamEvent';

const FIXTURE_URL = new URL('../fixtures/openai-schemas.json', import.meta.url);
// Any absolute URI does; it only has to match between addSchema and the $refs compiled below.
const FIXTURE_ID = 'https://iris.invalid/openai-openapi/openai-schemas.json';

// Keys whose values are data, not subschemas: never rewrite inside them.
const DATA_KEYS = new Set(['enum', 'const', 'default', 'example', 'examples', 'required', 'discriminator']);
// Keys whose values map arbitrary names to subschemas: a property may well be called `enum` or `nullable`.
const MAP_KEYS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * The spec is 3.1 but still carries ~20 OpenAPI 3.0 `nullable: true` flags (stream chunk `finish_reason`, `usage`,
 * `logprobs`; many request fields). Ajv's own `nullable` support is not enough: it throws for `nullable` without a
 * sibling `type` (e.g. `usage: { $ref, nullable }`) and still applies `enum`, so `finish_reason: null` would fail.
 * Rewriting each to `anyOf: [schema, { type: 'null' }]` gives the meaning the spec intends.
 */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYS.has(key) || key.startsWith('x-')) out[key] = value;
    else if (MAP_KEYS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, normalizeNullable(sub)]));
    } else out[key] = normalizeNullable(value);
  }
  if (typeof out.nullable !== 'boolean') return out;
  const { nullable, ...rest } = out;
  return nullable ? { anyOf: [rest, { type: 'null' }] } : rest;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();
let fixtureSchemas: Record<string, { anyOf?: { $ref: string }[]; properties?: { type?: { enum?: string[] } } }>;

function getAjv(): Ajv2020 {
  if (ajv) return ajv;
  const fixture = JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as Record<string, unknown>;
  fixtureSchemas = (fixture.components as { schemas: typeof fixtureSchemas }).schemas;
  // strict: false lets the vendor keywords through (x-oaiMeta, x-stainless-const, discriminator, example, ...).
  // Ajv's `discriminator` option stays off: the oneOf branches already tell members apart, and the option would
  // demand a layout the spec does not follow.
  const instance = new Ajv2020({ strict: false, allErrors: true });
  // The formats the subset uses, defined here so they are checked (and Ajv does not warn about them)
  // without another dependency.
  instance.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  instance.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  instance.addFormat('uri', (s: string) => URL.canParse(s));
  // An embedding's numbers: float32 on OpenAI's side; any finite JSON number is one once rounded.
  instance.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  instance.addSchema({ ...(normalizeNullable(fixture) as object), $id: FIXTURE_ID });
  ajv = instance;
  return instance;
}

function getValidator(schemaName: string): ValidateFunction {
  let validate = validators.get(schemaName);
  if (!validate) {
    validate = getAjv().compile({ $ref: `${FIXTURE_ID}#/components/schemas/${schemaName}` });
    validators.set(schemaName, validate);
  }
  return validate;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    detail = ` ${JSON.stringify(params.allowedValues)}`;
  } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    detail = ` '${params.additionalProperty}'`;
  }
  return `${where}: ${error.message ?? error.keyword}${detail} (schema ${error.schemaPath})`;
}

/** Errors of `value` against the named OpenAI schema, one per line-worthy message; empty when valid. */
export function validateOpenAI(schemaName: OpenAISchemaName, value: unknown): string[] {
  const validate = getValidator(schemaName);
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).map(describeError))];
}

/**
 * Errors of one Responses stream event against the event schema its `type` names, rather than against the union
 * of all 58, whose errors would list every other event's complaints.
 */
export function validateResponseEvent(event: { type: string }): string[] {
  getAjv();
  const union = fixtureSchemas.ResponseStreamEvent?.anyOf ?? [];
  const name = union
    .map((member) => member.$ref.split('/').at(-1) ?? '')
    .find((candidate) => fixtureSchemas[candidate]?.properties?.type?.enum?.includes(event.type));
  if (!name) return [`no ResponseStreamEvent has type ${JSON.stringify(event.type)}`];
  const validate = getValidator(name);
  if (validate(event)) return [];
  return [...new Set((validate.errors ?? []).map((e) => `${name}: ${describeError(e)}`))];
}

/** Throws, listing every error, unless `value` is valid against the named OpenAI schema. */
export function expectValidOpenAI(schemaName: OpenAISchemaName, value: unknown): void {
  const errors = validateOpenAI(schemaName, value);
  if (errors.length === 0) return;
  const shown = JSON.stringify(value);
  const excerpt = shown !== undefined && shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown;
  throw new Error(
    `Not a valid OpenAI ${schemaName} (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
      `${errors.map((e) => `  - ${e}`).join('\n')}\nvalue: ${excerpt}`,
  );
}
