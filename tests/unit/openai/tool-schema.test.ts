import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/errors';
import { toGeminiToolSchema } from '@/lib/openai/tool-schema';

const PARAM = 'tools[0].function.parameters';
const convert = (schema: unknown) => toGeminiToolSchema(schema, PARAM);
/** The converted schema of one property `x`. */
const property = (schema: unknown) =>
  (convert({ type: 'object', properties: { x: schema } }).properties as Record<string, unknown>).x;

function refusal(schema: unknown): ApiError {
  try {
    convert(schema);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the schema to be refused');
}

describe('toGeminiToolSchema: the root', () => {
  it('gives a function without parameters an empty object schema', () => {
    expect(convert(undefined)).toEqual({ type: 'object', properties: {} });
    expect(convert(null)).toEqual({ type: 'object', properties: {} });
  });

  it('keeps a plain object schema as it is', () => {
    const schema = {
      type: 'object',
      description: 'Weather query',
      properties: { city: { type: 'string', description: 'City name' }, days: { type: 'integer', minimum: 1 } },
      required: ['city'],
    };
    expect(convert(schema)).toEqual(schema);
  });

  it('adds type "object" and properties when the root leaves them out', () => {
    expect(convert({ properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    expect(convert({})).toEqual({ type: 'object', properties: {} });
  });

  it('refuses a root that is not an object schema, naming the param', () => {
    const error = refusal({ type: 'string' });
    expect(error.status).toBe(400);
    expect(error.param).toBe(PARAM);
    expect(error.code).toBe('invalid_function_parameters');
    expect(error.message).toMatch(/must describe an object/);
    expect(refusal('object').param).toBe(PARAM);
    expect(refusal([]).param).toBe(PARAM);
  });

  it('refuses an unknown type with the path of the offending keyword', () => {
    const error = refusal({ type: 'object', properties: { a: { type: 'text' } } });
    expect(error.param).toBe(`${PARAM}.properties.a.type`);
  });

  it('refuses a non-schema property value with its path', () => {
    expect(refusal({ type: 'object', properties: { a: 5 } }).param).toBe(`${PARAM}.properties.a`);
    expect(refusal({ type: 'object', properties: { a: false } }).message).toMatch(/nothing matches/);
  });

  it('does not change the caller’s schema object', () => {
    const schema = { type: 'object', properties: { a: { const: 'x' } }, $defs: { D: { type: 'string' } } };
    const copy = structuredClone(schema);
    convert(schema);
    expect(schema).toEqual(copy);
  });
});

describe('toGeminiToolSchema: keywords Gemini refuses or lacks', () => {
  it('drops $schema, $id, $comment, default and examples', () => {
    expect(
      convert({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'https://example.com/weather',
        $comment: 'internal',
        type: 'object',
        properties: { a: { type: 'string', default: 'x', examples: ['y'] } },
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it('inlines local $ref into $defs and drops $defs', () => {
    expect(
      convert({
        type: 'object',
        properties: { home: { $ref: '#/$defs/Address' }, work: { $ref: '#/$defs/Address' } },
        $defs: { Address: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] } },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        home: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] },
        work: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] },
      },
    });
  });

  it('inlines draft-07 definitions, a $ref at the root and refs inside refs', () => {
    expect(
      convert({
        $ref: '#/definitions/Query',
        definitions: {
          Query: { type: 'object', properties: { unit: { $ref: '#/definitions/Unit' } } },
          Unit: { type: 'string', enum: ['C', 'F'] },
        },
      }),
    ).toEqual({ type: 'object', properties: { unit: { type: 'string', enum: ['C', 'F'] } } });
  });

  it('merges the siblings of $ref into the target, which Gemini refuses side by side', () => {
    expect(
      convert({
        type: 'object',
        properties: { unit: { $ref: '#/$defs/Unit', description: 'Temperature unit' } },
        $defs: { Unit: { type: 'string', enum: ['C', 'F'], description: 'A unit' } },
      }),
    ).toEqual({
      type: 'object',
      properties: { unit: { type: 'string', enum: ['C', 'F'], description: 'Temperature unit' } },
    });
  });

  it('cuts a recursive $ref after one expansion, keeping its type and saying so', () => {
    const schema = convert({
      type: 'object',
      properties: { tree: { $ref: '#/$defs/Node' } },
      $defs: {
        Node: {
          type: 'object',
          description: 'A node',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
        },
      },
    });
    const tree = (schema.properties as Record<string, Record<string, unknown>>).tree ?? {};
    expect(tree.type).toBe('object');
    const children = (tree.properties as Record<string, Record<string, unknown>>).children;
    expect(children?.items).toEqual({
      type: 'object',
      description: 'A node (recursive #/$defs/Node, not expanded further)',
    });
    expect(JSON.stringify(schema)).not.toContain('$ref');
  });

  it('refuses a remote or dangling $ref with its path', () => {
    const remote = refusal({ type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } });
    expect(remote.param).toBe(`${PARAM}.properties.a.$ref`);
    expect(remote.message).toMatch(/outside the schema/);
    const dangling = refusal({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } });
    expect(dangling.param).toBe(`${PARAM}.properties.a.$ref`);
    expect(dangling.message).toMatch(/does not resolve/);
  });

  it('refuses a schema that $ref expansion blows up', () => {
    // Each level doubles: 2^14 leaves once inlined.
    const $defs: Record<string, unknown> = { L0: { type: 'string' } };
    for (let k = 1; k <= 14; k++) {
      $defs[`L${k}`] = {
        type: 'object',
        properties: { a: { $ref: `#/$defs/L${k - 1}` }, b: { $ref: `#/$defs/L${k - 1}` } },
      };
    }
    const error = refusal({ type: 'object', properties: { root: { $ref: '#/$defs/L14' } }, $defs });
    expect(error.param).toBe(PARAM);
    expect(error.message).toMatch(/too large/);
  });

  it('turns a string or number const into a one-value enum', () => {
    expect(property({ const: 'celsius' })).toEqual({ type: 'string', enum: ['celsius'] });
    expect(property({ type: 'integer', const: 3 })).toEqual({ type: 'integer', enum: [3] });
  });

  it('turns a boolean const into its type with a hint, and const null into type null', () => {
    expect(property({ const: true })).toEqual({ type: 'boolean', description: '(must be true)' });
    expect(property({ const: null })).toEqual({ type: 'null' });
  });

  it('reads oneOf as anyOf', () => {
    expect(property({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    });
    expect(property({ anyOf: [{ type: 'string' }, { $ref: '#' }] })).toMatchObject({
      anyOf: [{ type: 'string' }, { type: 'object' }],
    });
  });

  it('merges allOf into one schema', () => {
    expect(
      property({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'number' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
  });

  it('keeps a single type and turns ["string","null"] into anyOf with a null branch', () => {
    expect(property({ type: ['string'] })).toEqual({ type: 'string' });
    expect(property({ type: ['string', 'null'], description: 'Nickname', format: 'date-time' })).toEqual({
      description: 'Nickname',
      anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }],
    });
  });

  it('splits a type array, giving each branch only its own keywords', () => {
    expect(
      property({ type: ['array', 'object'], items: { type: 'string' }, properties: { a: { type: 'string' } } }),
    ).toEqual({
      anyOf: [
        { type: 'array', items: { type: 'string' } },
        { type: 'object', properties: { a: { type: 'string' } } },
      ],
    });
  });

  it('reads OpenAPI nullable and null in enum as a null branch', () => {
    expect(property({ type: 'integer', nullable: true })).toEqual({ anyOf: [{ type: 'integer' }, { type: 'null' }] });
    expect(property({ enum: ['a', 'b', null] })).toEqual({
      anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'null' }],
    });
    expect(property({ anyOf: [{ type: 'string' }], nullable: true })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
  });

  it('keeps enums of strings and numbers, and turns other enums into a hint', () => {
    expect(property({ type: 'string', enum: ['a', 'b'] })).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(property({ enum: [1, 2] })).toEqual({ type: 'number', enum: [1, 2] });
    expect(property({ type: 'boolean', enum: [true] })).toEqual({ type: 'boolean', description: '(one of true)' });
  });

  it('keeps the formats Gemini knows and turns others into a hint', () => {
    expect(property({ type: 'string', format: 'date-time' })).toEqual({ type: 'string', format: 'date-time' });
    expect(property({ type: 'integer', format: 'int64' })).toEqual({ type: 'integer', format: 'int64' });
    expect(property({ type: 'string', format: 'email', description: 'Contact' })).toEqual({
      type: 'string',
      description: 'Contact (format: email)',
    });
    expect(property({ type: 'number', format: 'int32' })).toEqual({ type: 'number', description: '(format: int32)' });
  });

  it('turns string and number constraints Gemini lacks into hints', () => {
    expect(
      property({ type: 'string', pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3, description: 'Code' }),
    ).toEqual({
      type: 'string',
      description: 'Code (pattern: ^[A-Z]{3}$; at least 3 characters; at most 3 characters)',
    });
    expect(property({ type: 'number', multipleOf: 0.5 })).toEqual({
      type: 'number',
      description: '(a multiple of 0.5)',
    });
    expect(property({ type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 })).toEqual({
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: '(items must be unique)',
    });
  });

  it('turns exclusive bounds into inclusive ones for integers and hints for numbers', () => {
    expect(property({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 })).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 9,
    });
    expect(property({ type: 'number', exclusiveMinimum: 0 })).toEqual({
      type: 'number',
      description: '(greater than 0)',
    });
  });

  it('keeps additionalProperties, converting a schema value', () => {
    expect(property({ type: 'object', properties: {}, additionalProperties: false })).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
    expect(property({ type: 'object', additionalProperties: { const: 'x' } })).toEqual({
      type: 'object',
      additionalProperties: { type: 'string', enum: ['x'] },
    });
  });

  it('drops keywords Gemini has no use for (patternProperties, propertyNames, not, if/then/else)', () => {
    expect(
      property({
        type: 'object',
        properties: { a: { type: 'string' } },
        patternProperties: { '^x': { type: 'string' } },
        propertyNames: { pattern: '^[a-z]+$' },
        not: { required: ['b'] },
        if: { properties: { a: { const: 'x' } } },
        // Written as JSON: a literal `then` key makes the object look like a promise to linters.
        ...JSON.parse('{"then":{"required":["a"]}}'),
        minProperties: 1,
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it('keeps only required names that are declared properties', () => {
    expect(property({ type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
    expect(property({ type: 'object', required: ['a'] })).toEqual({ type: 'object' });
  });

  it('turns draft-04 tuple items into prefixItems', () => {
    expect(property({ type: 'array', items: [{ type: 'number' }, { type: 'number' }] })).toEqual({
      type: 'array',
      prefixItems: [{ type: 'number' }, { type: 'number' }],
    });
  });

  it('converts what zod 4 emits for a typical tool (literal, nullable, record)', () => {
    expect(
      convert({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          kind: { type: 'string', const: 'search' },
          limit: { anyOf: [{ type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 }, { type: 'null' }] },
          tags: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
        },
        required: ['kind', 'limit', 'tags'],
        additionalProperties: false,
      }),
    ).toEqual({
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['search'] },
        limit: { anyOf: [{ type: 'integer', minimum: 1, maximum: 9007199254740991 }, { type: 'null' }] },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['kind', 'limit', 'tags'],
      additionalProperties: false,
    });
  });
});

describe('toGeminiToolSchema: hostile shapes are 400s, never 500s', () => {
  it('refuses a $ref with a malformed percent-escape as unresolvable', () => {
    const error = refusal({ type: 'object', properties: { a: { $ref: '#/$defs/%' } }, $defs: {} });
    expect({ status: error.status, param: error.param }).toEqual({
      status: 400,
      param: `${PARAM}.properties.a.$ref`,
    });
  });

  it('refuses a schema nested thousands of levels deep instead of overflowing the stack', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 4000; i++) schema = { type: 'object', properties: { a: schema } };
    const error = refusal(schema);
    expect({ status: error.status, code: error.code, param: error.param }).toEqual({
      status: 400,
      code: 'schema_too_deep',
      param: PARAM,
    });
  });

  it('keeps a property named __proto__ as a property', () => {
    const converted = convert(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}'));
    expect(Object.keys(converted.properties as object)).toEqual(['__proto__']);
  });
});
