import { z } from 'zod';
import { ReasoningEffort } from '@/lib/gemini/reasoning';
import { ExtraBody, GoogleExtras } from '@/lib/openai/google-extras';
import { ModelIdField } from '@/lib/openai/request-schema';

/**
 * `POST /v1/responses` as Iris reads it: OpenAI's CreateResponse, with the item types a Gemini answer can continue
 * from. Loose objects, because clients replay items with fields of their own (ids, statuses) that carry nothing.
 */

const InputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const InputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullish(),
});
const InputFile = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
});
// What a replayed assistant message holds.
const OutputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const Refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

const ContentPart = z.discriminatedUnion('type', [InputText, InputImage, InputFile, OutputText, Refusal]);
export type ContentPart = z.infer<typeof ContentPart>;

const MessageItem = z.looseObject({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(ContentPart)]),
});

const FunctionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1, 'must not be empty'),
  name: z.string().min(1, 'must not be empty'),
  arguments: z.string(),
  namespace: z.string().nullish(),
});

const FunctionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1, 'must not be empty'),
  output: z.union([z.string(), z.array(ContentPart)]),
});

const CustomToolCallItem = z.looseObject({
  type: z.literal('custom_tool_call'),
  call_id: z.string().min(1, 'must not be empty'),
  name: z.string().min(1, 'must not be empty'),
  input: z.string(),
});

const CustomToolCallOutputItem = z.looseObject({
  type: z.literal('custom_tool_call_output'),
  call_id: z.string().min(1, 'must not be empty'),
  output: z.union([z.string(), z.array(ContentPart)]),
});

const ReasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

const ItemReference = z.looseObject({ type: z.literal('item_reference'), id: z.string() });

// A message may come without `type` (OpenAI's EasyInputMessage): it is then a message.
export const InputItem = z.preprocess(
  (value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && !('type' in value)
      ? { ...value, type: 'message' }
      : value,
  z.discriminatedUnion('type', [
    MessageItem,
    FunctionCallItem,
    FunctionCallOutputItem,
    CustomToolCallItem,
    CustomToolCallOutputItem,
    ReasoningItem,
    ItemReference,
  ]),
);
export type InputItem = z.infer<typeof InputItem>;

const TextFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes'),
    description: z.string().nullish(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
  }),
]);
export type TextFormat = z.infer<typeof TextFormat>;

export const ResponsesRequest = z.looseObject({
  model: ModelIdField,
  input: z.union([z.string(), z.array(InputItem)]).nullish(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_obfuscation: z.boolean().optional() }).nullish(),
  include: z.array(z.string()).nullish(),

  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  text: z.looseObject({ format: TextFormat.nullish(), verbosity: z.string().nullish() }).nullish(),
  reasoning: z
    .looseObject({
      effort: ReasoningEffort.nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    })
    .nullish(),

  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
  parallel_tool_calls: z.boolean().nullish(),

  // Accepted and ignored: they describe the caller or OpenAI's own infrastructure, not the generation.
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: z.string().nullish(),

  // Refused unless neutral (parse-request.ts).
  background: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  max_tool_calls: z.int().min(1).nullish(),
  prompt: z.unknown().optional(),
  conversation: z.unknown().optional(),
  context_management: z.unknown().optional(),

  // Gemini-only options, as for Chat Completions.
  google: GoogleExtras.nullish(),
  extra_body: ExtraBody.nullish(),
});

export type ResponsesRequest = z.infer<typeof ResponsesRequest>;
