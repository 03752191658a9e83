import type { GoogleLanguageModelOptions } from '@ai-sdk/google';
import type { LanguageModel, ModelMessage, OutputInterface, ToolChoice, ToolSet } from 'ai';
import type { Config } from '@/lib/config';
import { resolveModelId } from '@/lib/gemini/model-id';
import { geminiModel } from '@/lib/gemini/provider';
import { type ReasoningEffort, type ReasoningSetting, reasoningFor } from '@/lib/gemini/reasoning';

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
  presencePenalty?: number;
  frequencyPenalty?: number;
}

export type MediaResolution = NonNullable<GoogleLanguageModelOptions['mediaResolution']>;

export interface GeminiCallInput {
  /** As the caller named it; aliases and the `models/` prefix are resolved here. */
  model: string;
  instructions?: string;
  messages: ModelMessage[];
  settings: GenerationSettings;
  /** Request-wide: the SDK sends it in generationConfig, not per part. */
  mediaResolution?: MediaResolution;
  /** JSON mode (and its schema) for structured output; absent for plain text. */
  output?: OutputInterface<string>;
  /** How hard to think; mapped per model family by `reasoningFor` once the model id is resolved. */
  reasoning?: ReasoningEffort;
  /** Gemini options with no portable equivalent (thinkingConfig, safetySettings, cachedContent). */
  googleOptions?: GoogleLanguageModelOptions;
  /** Functions the caller runs itself: no `execute`, so Gemini's calls come back to the caller. */
  tools?: ToolSet;
  toolChoice?: ToolChoice<ToolSet>;
}

export interface GeminiCall {
  modelId: string;
  options: {
    model: LanguageModel;
    instructions?: string;
    messages: ModelMessage[];
    maxRetries: number;
    abortSignal: AbortSignal;
    providerOptions?: { google: GoogleLanguageModelOptions };
    output?: OutputInterface<string>;
    reasoning?: ReasoningSetting;
    tools?: ToolSet;
    toolChoice?: ToolChoice<ToolSet>;
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
  // Before the deadline is armed: a refused effort must not leave a timer behind.
  const reasoning = reasoningFor(modelId, input.reasoning);
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
      ...googleProviderOptions(input),
      ...(input.output ? { output: input.output } : {}),
      ...definedOnly({ reasoning }),
      ...definedOnly({ tools: input.tools, toolChoice: input.toolChoice }),
      maxRetries: config.gemini.maxRetries,
      abortSignal: AbortSignal.any([context.abortSignal, deadline.signal]),
    },
    release: () => clearTimeout(timer),
  };
}

function googleProviderOptions(input: GeminiCallInput): { providerOptions?: { google: GoogleLanguageModelOptions } } {
  const google: GoogleLanguageModelOptions = {
    ...input.googleOptions,
    ...(input.mediaResolution ? { mediaResolution: input.mediaResolution } : {}),
  };
  return Object.keys(google).length > 0 ? { providerOptions: { google } } : {};
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
