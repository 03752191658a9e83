import type { OutputInterface } from 'ai';
import { z } from 'zod';
import { type JsonSchemaObject, sanitizeResponseSchema } from '@/lib/openai/response-schema';
import { assertSchemaDepth } from '@/lib/openai/schema-depth';

/**
 * OpenAI's `response_format` → Gemini's JSON mode. `json_object` asks for JSON (responseMimeType
 * application/json); `json_schema` adds the caller's schema as `responseJsonSchema`, which Gemini enforces by
 * constrained decoding whether or not `strict` is set.
 */

const ResponseFormatText = z.object({ type: z.literal('text') });
const ResponseFormatJsonObject = z.object({ type: z.literal('json_object') });
const ResponseFormatJsonSchema = z.object({
  type: z.literal('json_schema'),
  json_schema: z.object({
    // As OpenAI validates it, so a name that works here works there too.
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes'),
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

export const ResponseFormat = z.discriminatedUnion('type', [
  ResponseFormatText,
  ResponseFormatJsonObject,
  ResponseFormatJsonSchema,
]);
export type ResponseFormat = z.infer<typeof ResponseFormat>;

/** The AI SDK `output` for a response format; undefined for plain text. */
export function structuredOutput(
  format: ResponseFormat | null | undefined,
  // Where the caller put the schema, for the error that names it (Responses: `text.format.schema`).
  schemaParam = 'response_format.json_schema.schema',
): OutputInterface<string> | undefined {
  if (format == null || format.type === 'text') return undefined;
  if (format.type === 'json_object') return passThroughJson({});
  const { schema, name, description } = format.json_schema;
  return passThroughJson({
    schema: schema === undefined ? undefined : sanitizeResponseSchema(checkedDepth(schema, schemaParam)),
    name,
    description,
  });
}

function checkedDepth(schema: Record<string, unknown>, param: string): JsonSchemaObject {
  assertSchemaDepth(schema, param);
  return schema as JsonSchemaObject;
}

/**
 * Like `Output.object`, but the text is never parsed or checked here: Iris is a gateway, so the model's text goes
 * back as the message content unchanged (a truncated or invalid answer included) and the caller's client decides,
 * exactly as with OpenAI. `Output.object` would throw NoObjectGeneratedError and turn that into a 5xx.
 */
function passThroughJson(format: { schema?: JsonSchemaObject; name?: string; description?: string }) {
  const output: OutputInterface<string, string, never> = {
    name: 'object',
    responseFormat: Promise.resolve({
      type: 'json' as const,
      ...(format.schema ? { schema: format.schema } : {}),
      ...(format.name ? { name: format.name } : {}),
      ...(format.description ? { description: format.description } : {}),
    }),
    parseCompleteOutput: async ({ text }) => text,
    parsePartialOutput: async ({ text }) => ({ partial: text }),
    createElementStreamTransform: () => undefined,
  };
  return output;
}
