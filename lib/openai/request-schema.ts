import { z } from 'zod';
import { MODEL_ID_PATTERN } from '@/lib/gemini/model-id';
import { ReasoningEffort } from '@/lib/gemini/reasoning';
import { ExtraBody, GoogleExtras } from '@/lib/openai/google-extras';
import { ResponseFormat } from '@/lib/openai/structured-output';

/**
 * The Chat Completions request as Iris accepts it. Fields are grouped by policy (README, "Parameter policy"):
 * mapped to Gemini, accepted and ignored, or refused until a later release. Unknown fields pass through
 * untouched and are ignored, as many OpenAI clients add vendor fields of their own.
 */

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish();

const TextPart = z.object({ type: z.literal('text'), text: z.string() });

const ImageUrlPart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    url: z.string().min(1, 'must not be empty'),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});

// Audio and PDF input; the bytes are checked against the declared format in input-parts.ts.
const InputAudioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string().min(1, 'must not be empty'), format: z.enum(['wav', 'mp3']) }),
});
const FilePart = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
});

const UserContentPart = z.discriminatedUnion('type', [TextPart, ImageUrlPart, InputAudioPart, FilePart]);
const AssistantContentPart = z.discriminatedUnion('type', [
  TextPart,
  z.object({ type: z.literal('refusal'), refusal: z.string() }),
]);

const textContent = z.union([z.string(), z.array(TextPart).min(1, 'must have at least one part')]);

const SystemMessage = z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() });
const DeveloperMessage = z.object({ role: z.literal('developer'), content: textContent, name: z.string().optional() });
const UserMessage = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(UserContentPart).min(1, 'must have at least one part')]),
  name: z.string().optional(),
});
const AssistantMessage = z.object({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(AssistantContentPart)]).nullish(),
  name: z.string().optional(),
  refusal: z.string().nullish(),
  tool_calls: z.array(z.unknown()).optional(),
  function_call: z.unknown().optional(),
  audio: z.unknown().optional(),
});
const ToolMessage = z.looseObject({ role: z.literal('tool') });
const FunctionMessage = z.looseObject({ role: z.literal('function') });

export const ChatMessage = z.discriminatedUnion('role', [
  SystemMessage,
  DeveloperMessage,
  UserMessage,
  AssistantMessage,
  ToolMessage,
  FunctionMessage,
]);

/** A request's `model`: it ends up in the upstream URL path, so only plain ids pass (MODEL_ID_PATTERN). */
export const ModelIdField = z
  .string()
  .trim()
  .min(1, 'must name a model, e.g. "gemini-3.8-flash"')
  .regex(MODEL_ID_PATTERN, 'must be a model id such as "gemini-3.8-flash" (letters, digits, ".", "_" and "-")');

export const ChatCompletionRequest = z.looseObject({
  model: ModelIdField,
  messages: z.array(ChatMessage).min(1, 'must contain at least one message'),

  // Mapped to Gemini.
  temperature: nullish(z.number().min(0).max(2)),
  top_p: nullish(z.number().min(0).max(1)),
  top_k: nullish(z.int().min(1)),
  max_tokens: nullish(z.int().min(1)),
  max_completion_tokens: nullish(z.int().min(1)),
  stop: nullish(z.union([z.string(), z.array(z.string()).max(5, 'Gemini accepts at most 5 stop sequences')])),
  // Gemini's seed is a 32-bit integer.
  seed: nullish(z.int().min(-2147483648).max(2147483647)),
  stream: nullish(z.boolean()),
  stream_options: nullish(
    z.looseObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }),
  ),

  // Accepted and ignored: they describe the caller, not the generation.
  user: nullish(z.string()),
  metadata: nullish(z.record(z.string(), z.string())),
  store: nullish(z.boolean()),
  service_tier: nullish(z.string()),
  safety_identifier: nullish(z.string()),
  prompt_cache_key: nullish(z.string()),

  // Several candidates run as parallel Gemini calls (candidates.ts); 8 is Gemini's own candidateCount limit.
  n: nullish(z.int().min(1).max(8)),
  // Forwarded, except to models whose Gemini API ignores them (penalties.ts).
  presence_penalty: nullish(z.number().min(-2).max(2)),
  frequency_penalty: nullish(z.number().min(-2).max(2)),

  // Neutral values are accepted; anything else is refused by `rejectUnsupported` (parse-request.ts).
  logprobs: nullish(z.boolean()),
  top_logprobs: nullish(z.int().min(0).max(20)),
  parallel_tool_calls: nullish(z.boolean()),
  tools: nullish(z.array(z.unknown())),
  tool_choice: z.unknown().optional(),
  functions: z.unknown().optional(),
  function_call: z.unknown().optional(),
  response_format: nullish(ResponseFormat),
  reasoning_effort: nullish(ReasoningEffort),
  // Gemini-only options (google-extras.ts): top-level, or in the body field extra_body as Google's docs show.
  google: nullish(GoogleExtras),
  extra_body: nullish(ExtraBody),
  logit_bias: nullish(z.record(z.string(), z.number())),
  modalities: nullish(z.array(z.string())),
  audio: z.unknown().optional(),
  prediction: z.unknown().optional(),
  web_search_options: z.unknown().optional(),
});

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;
export type ChatMessage = z.infer<typeof ChatMessage>;
export type UserContentPart = z.infer<typeof UserContentPart>;
