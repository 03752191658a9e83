import type { GoogleLanguageModelOptions } from '@ai-sdk/google';
import {
  generateText,
  type ModelMessage,
  type OutputInterface,
  streamText,
  type TextStreamPart,
  type ToolChoice,
  type ToolSet,
} from 'ai';
import type { Config } from '@/lib/config';
import { checkModelSettings } from '@/lib/core/model-settings';
import { type ModelTarget, replacementAfterRefusal } from '@/lib/core/model-target';
import { geminiModel } from '@/lib/gemini/provider';
import { type ReasoningEffort, reasoningFor } from '@/lib/gemini/reasoning';
import { isModelRefusal } from '@/lib/upstream-errors';

/**
 * The one place Gemini is called. Every face of Iris (Chat Completions, the chat UI, and the adapters to come)
 * describes what it wants as a GeminiCallInput and gets back the AI SDK's result or stream parts; the core owns
 * generateText/streamText, the deadline, abort, and serving a retired model by its replacement.
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
  /** Resolved by `resolveModel` (lib/core/model-target.ts). */
  model: ModelTarget;
  instructions?: string;
  messages: ModelMessage[];
  settings: GenerationSettings;
  /** Request-wide: the SDK sends it in generationConfig, not per part. */
  mediaResolution?: MediaResolution;
  /** JSON mode (and its schema) for structured output; absent for plain text. */
  output?: OutputInterface<string>;
  /** How hard to think; mapped per model family by `reasoningFor` for the model that serves. */
  reasoning?: ReasoningEffort;
  /** Gemini options with no portable equivalent (thinkingConfig, safetySettings, cachedContent). */
  googleOptions?: GoogleLanguageModelOptions;
  /** Functions the caller runs itself: no `execute`, so Gemini's calls come back to the caller. */
  tools?: ToolSet;
  toolChoice?: ToolChoice<ToolSet>;
}

export interface CallContext {
  config: Config;
  apiKey: string;
  /** The caller's abort (hang-up, stop); the core adds its own deadline. */
  abortSignal: AbortSignal;
}

export type StreamPart = TextStreamPart<ToolSet>;

export interface GeminiAnswer {
  result: Awaited<ReturnType<typeof generateText<ToolSet>>>;
  /** The model that answered: the replacement when the asked one was refused. */
  model: ModelTarget;
}

export interface GeminiStream {
  /** The SDK's stream parts, `start` held back until Gemini has answered (so a refused model can be replaced). */
  parts: AsyncIterableIterator<StreamPart>;
  /** The model serving the stream; final once a part other than `start` has arrived. */
  model(): ModelTarget;
}

/** Throws what the SDK throws; a refused model is retried once on its replacement. */
export async function generateGemini(input: GeminiCallInput, context: CallContext): Promise<GeminiAnswer> {
  let target = input.model;
  for (let attempt = 0; ; attempt++) {
    const call = prepareCall({ ...input, model: target }, context);
    try {
      const result = await generateText(call.options);
      return { result, model: target };
    } catch (error) {
      const replacement = attempt === 0 ? await replacementFor(error, target, context) : undefined;
      if (!replacement) throw error;
      target = replacement;
    } finally {
      call.release();
    }
  }
}

export function streamGemini(input: GeminiCallInput, context: CallContext): GeminiStream {
  let target = input.model;
  async function* parts(): AsyncGenerator<StreamPart> {
    for (let attempt = 0; ; attempt++) {
      const call = prepareCall({ ...input, model: target }, context);
      // Without onError the SDK console.errors the whole request, prompt included.
      const iterator = streamText({ ...call.options, onError: () => {} }).stream[Symbol.asyncIterator]();
      let held: StreamPart | undefined;
      let answered = false;
      let replacement: ModelTarget | undefined;
      try {
        for (;;) {
          let next: IteratorResult<StreamPart>;
          try {
            next = await iterator.next();
          } catch (error) {
            if (answered || attempt > 0) throw error;
            replacement = await replacementFor(error, target, context);
            if (!replacement) throw error;
            break;
          }
          if (next.done) return;
          const part = next.value;
          if (!answered && part.type === 'start') {
            held = part;
            continue;
          }
          if (!answered && part.type === 'error' && attempt === 0) {
            replacement = await replacementFor(part.error, target, context);
            if (replacement) break;
          }
          if (!answered) {
            answered = true;
            if (held) yield held;
          }
          yield part;
        }
      } finally {
        call.release();
        // Ends the SDK's stream when the reader stops early (cancel, or the replacement taking over).
        await iterator.return?.();
      }
      if (!replacement) return;
      target = replacement;
    }
  }
  return { parts: parts(), model: () => target };
}

async function replacementFor(
  error: unknown,
  target: ModelTarget,
  context: CallContext,
): Promise<ModelTarget | undefined> {
  if (!isModelRefusal(error)) return undefined;
  return replacementAfterRefusal(target, context);
}

interface PreparedCall {
  options: Parameters<typeof generateText>[0] & Parameters<typeof streamText>[0];
  release(): void;
}

function prepareCall(input: GeminiCallInput, context: CallContext): PreparedCall {
  const { config } = context;
  const { model } = input;
  // Before the deadline is armed: a refused setting must not leave a timer behind.
  checkModelSettings(model, input.settings);
  const reasoning = reasoningFor(model, input.reasoning);
  // Our own deadline rather than the SDK's `timeout`: the SDK's timer stays armed after the call ends and
  // keeps each finished request's objects alive until it fires (minutes, at the default), and a cleared
  // timer frees them at once.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('Gemini did not answer in time', 'TimeoutError')),
    config.gemini.timeoutMs,
  );
  return {
    options: {
      model: geminiModel(model.id, { apiKey: context.apiKey, baseURL: config.gemini.baseURL }),
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
