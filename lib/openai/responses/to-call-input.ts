import type { GeminiCallInput } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';
import { googleProviderOptions } from '@/lib/openai/google-extras';
import type { ResponsesRequest } from '@/lib/openai/responses/request-schema';
import { reasoningSummary } from '@/lib/openai/responses/response-object';
import { type ConvertOptions, type InputItemSource, toModelMessages } from '@/lib/openai/responses/to-model-messages';
import { type ResponsesToolCalling, toResponsesTools } from '@/lib/openai/responses/tools';
import { structuredOutput } from '@/lib/openai/structured-output';

/**
 * A validated Responses request → the core's description of the Gemini call: the one place where every request
 * field Iris honours is read (the README's "mapped in" column points here).
 */
export interface ResponsesCall {
  input: GeminiCallInput;
  tools: ResponsesToolCalling;
  /** The items of this request, as stored for `input_items` and later turns. */
  items: InputItemSource[];
}

export async function toResponsesCall(
  request: ResponsesRequest,
  model: ModelTarget,
  options: ConvertOptions & { history: readonly InputItemSource[] },
): Promise<ResponsesCall> {
  // Before the input: a bad tool is refused before any image is fetched.
  const tools = toResponsesTools(request);
  const items = inputItems(request);
  const prompt = await toModelMessages([...options.history, ...items], options);
  const instructions = [request.instructions, prompt.instructions].filter((s): s is string => !!s).join('\n\n');
  const google = googleProviderOptions({ ...request, reasoning_effort: request.reasoning?.effort });
  const summary = reasoningSummary(request);
  return {
    tools,
    items,
    input: {
      model,
      instructions: instructions || undefined,
      messages: prompt.messages,
      settings: {
        temperature: request.temperature ?? undefined,
        topP: request.top_p ?? undefined,
        maxOutputTokens: request.max_output_tokens ?? undefined,
      },
      output: structuredOutput(asResponseFormat(request.text?.format), 'text.format.schema'),
      reasoning: request.reasoning?.effort ?? undefined,
      // A reasoning summary is Gemini's thought summary, which it sends only when asked.
      googleOptions: summary
        ? { ...google, thinkingConfig: { ...google?.thinkingConfig, includeThoughts: true } }
        : google,
      tools: tools.tools,
      toolChoice: tools.toolChoice,
    },
  };
}

function inputItems(request: ResponsesRequest): InputItemSource[] {
  const { input } = request;
  if (input == null) return [];
  if (typeof input === 'string') {
    return [{ item: { type: 'message', role: 'user', content: input }, param: 'input' }];
  }
  return input.map((item, i) => ({ item, param: `input[${i}]` }));
}

/** Responses' `text.format` in Chat Completions' `response_format` spelling, which structured-output.ts maps. */
function asResponseFormat(format: NonNullable<ResponsesRequest['text']>['format']) {
  if (format == null || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' as const };
  return {
    type: 'json_schema' as const,
    json_schema: {
      name: format.name,
      description: format.description ?? undefined,
      schema: format.schema,
      strict: format.strict,
    },
  };
}
