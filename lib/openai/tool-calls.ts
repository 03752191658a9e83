import type { ProviderMetadata } from 'ai';

/** The SDK's tool calls → OpenAI's `tool_calls`, with Gemini's thought signature where Google's OpenAI layer puts it. */

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Google's OpenAI layer puts Gemini's thought signature here; @ai-sdk/openai-compatible reads and returns it. */
  extra_content?: { google: { thought_signature: string } };
}

/** The parts of an SDK tool call that matter here (generateText's toolCalls, streamText's tool parts). */
export interface SdkToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  providerMetadata?: ProviderMetadata;
}

export function thoughtSignatureOf(metadata: ProviderMetadata | undefined): string | undefined {
  const signature = metadata?.google?.thoughtSignature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

/** Gemini sends arguments as an object; OpenAI callers expect its JSON text. */
export function argumentsText(input: unknown): string {
  if (typeof input === 'string') return input; // an unparseable call the SDK passed on raw
  return JSON.stringify(input ?? {});
}

export function toOpenAIToolCall(call: SdkToolCall): OpenAIToolCall {
  const signature = thoughtSignatureOf(call.providerMetadata);
  return {
    // Verbatim, Gemini's own id or the SDK's: the caller returns it, and it then names both the call and its
    // response sent back to Gemini, which may match them by id.
    id: call.toolCallId,
    type: 'function',
    function: { name: call.toolName, arguments: argumentsText(call.input) },
    ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
  };
}

/**
 * Adds the calls to a non-streamed completion: `content` is null when there is no text beside them, as at OpenAI.
 * With `parallel_tool_calls: false` only the first call is kept (Gemini has no switch for it).
 */
export function withToolCalls<C extends { choices: { message: { content: string | null } }[] }>(
  completion: C,
  calls: readonly SdkToolCall[],
  options: { parallel: boolean },
) {
  const kept = options.parallel ? calls : calls.slice(0, 1);
  if (kept.length === 0) return completion;
  return {
    ...completion,
    choices: completion.choices.map((choice) => ({
      ...choice,
      message: { ...choice.message, content: choice.message.content || null, tool_calls: kept.map(toOpenAIToolCall) },
    })),
  };
}
