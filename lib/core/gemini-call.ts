import type { LanguageModel, ModelMessage } from 'ai';
import type { Config } from '@/lib/config';
import { resolveModelId } from '@/lib/gemini/model-id';
import { geminiModel } from '@/lib/gemini/provider';

/**
 * The one place a Gemini call is put together. Both faces of Iris (the OpenAI endpoint and the chat UI)
 * describe what they want as a GeminiCallInput; their adapters only differ in how they speak the result.
 */
export interface GenerationSettings {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
}

export interface GeminiCallInput {
  /** As the caller named it; aliases and the `models/` prefix are resolved here. */
  model: string;
  instructions?: string;
  messages: ModelMessage[];
  settings: GenerationSettings;
}

export interface GeminiCall {
  modelId: string;
  options: {
    model: LanguageModel;
    instructions?: string;
    messages: ModelMessage[];
    maxRetries: number;
    abortSignal: AbortSignal;
  } & GenerationSettings;
  /** Clears the call's deadline; call it once the call has ended, however it ended. */
  release(): void;
}

export function buildGeminiCall(
  input: GeminiCallInput,
  context: { config: Config; apiKey: string; abortSignal: AbortSignal },
): GeminiCall {
  const { config } = context;
  const modelId = resolveModelId(input.model, config.modelAliases);
  // Our own deadline rather than the SDK's `timeout`: the SDK's timer stays armed after the call ends and
  // keeps each finished request's objects alive until it fires (minutes, at the default), and a cleared
  // timer frees them at once.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('Gemini did not answer in time', 'TimeoutError')),
    config.gemini.timeoutMs,
  );
  return {
    modelId,
    options: {
      model: geminiModel(modelId, { apiKey: context.apiKey, baseURL: config.gemini.baseURL }),
      instructions: input.instructions,
      messages: input.messages,
      ...definedOnly(input.settings),
      maxRetries: config.gemini.maxRetries,
      abortSignal: AbortSignal.any([context.abortSignal, deadline.signal]),
    },
    release: () => clearTimeout(timer),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
