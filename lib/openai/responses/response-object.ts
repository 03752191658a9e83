import { randomBytes } from 'node:crypto';
import type { FinishReason, LanguageModelUsage } from 'ai';
import { toOpenAIFinishReason } from '@/lib/openai/map-finish-reason';
import type { OutputItem } from '@/lib/openai/responses/output-assembler';
import type { ResponsesRequest } from '@/lib/openai/responses/request-schema';
import { toOpenAIUsage } from '@/lib/openai/usage';

/** The `Response` object, as Iris answers, streams in `response.*` events, and stores it. */

export const newResponseId = () => `resp_${randomBytes(24).toString('hex')}`;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseIdentity {
  id: string;
  createdAt: number;
  model: string;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseState {
  status: ResponseStatus;
  output: readonly OutputItem[];
  usage?: ResponseUsage;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
  error?: { code: string; message: string };
}

/** Gemini counts thinking apart from the answer; OpenAI counts it inside output_tokens, as the SDK does. */
export function toResponseUsage(usage: LanguageModelUsage): ResponseUsage {
  const openai = toOpenAIUsage(usage);
  return {
    input_tokens: openai.prompt_tokens,
    input_tokens_details: {
      cached_tokens: openai.prompt_tokens_details.cached_tokens,
      cache_write_tokens: usage.inputTokenDetails?.cacheWriteTokens ?? 0,
    },
    output_tokens: openai.completion_tokens,
    output_tokens_details: { reasoning_tokens: openai.completion_tokens_details.reasoning_tokens },
    total_tokens: openai.total_tokens,
  };
}

/** Why an answer stopped early, in Responses' terms; undefined for a complete one. */
export function incompleteReasonOf(
  reason: FinishReason,
  rawReason?: string,
): ResponseState['incompleteReason'] | undefined {
  const mapped = toOpenAIFinishReason(reason, rawReason);
  if (mapped === 'length') return 'max_output_tokens';
  if (mapped === 'content_filter') return 'content_filter';
  return undefined;
}

export function responseObject(identity: ResponseIdentity, request: ResponsesRequest, state: ResponseState) {
  const format = request.text?.format ?? { type: 'text' as const };
  return {
    id: identity.id,
    object: 'response' as const,
    created_at: identity.createdAt,
    status: state.status,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: identity.model,
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: reasoningSummary(request) ?? null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    ...(state.usage ? { usage: state.usage } : {}),
    ...(request.user ? { user: request.user } : {}),
    metadata: request.metadata ?? {},
  };
}

export type ResponseObject = ReturnType<typeof responseObject>;

export function reasoningSummary(request: ResponsesRequest): 'auto' | 'concise' | 'detailed' | undefined {
  return request.reasoning?.summary ?? request.reasoning?.generate_summary ?? undefined;
}
