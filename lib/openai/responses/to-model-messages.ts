import type { AssistantModelMessage, FilePart, ModelMessage, TextPart, ToolCallPart, ToolResultPart } from 'ai';
import type { Config } from '@/lib/config';
import { invalidRequest } from '@/lib/errors';
import { ByteBudget } from '@/lib/http/read-capped';
import { type ImageLimits, resolveImage } from '@/lib/images/resolve-image';
import { decodePdfDataUrl } from '@/lib/openai/input-parts';
import { type ThoughtSignatures, unsealSignatures } from '@/lib/openai/responses/reasoning-seal';
import type { ContentPart, InputItem } from '@/lib/openai/responses/request-schema';
import { CUSTOM_TOOL_INPUT } from '@/lib/openai/responses/tools';
import { parseArguments } from '@/lib/openai/tool-messages';

/**
 * Responses input items → AI SDK model messages. `system` and `developer` messages join the system instruction;
 * consecutive `function_call` items (and the assistant text before them) form one model turn, and the
 * `function_call_output`s after them one tool turn, as Gemini wants; every image is fetched or decoded here and
 * sent as bytes; thought signatures sealed in `reasoning` items are put back on the calls they belong to.
 */

export interface ConvertedInput {
  instructions: string | undefined;
  messages: ModelMessage[];
}

export interface InputItemSource {
  item: InputItem;
  /** Where the caller can find it: `input[3]`, or the stored turn it came from. */
  param: string;
}

export interface ConvertOptions {
  limits: ImageLimits & { maxPerRequest: number };
  config: Pick<Config, 'auth' | 'sessionSecret'>;
  signal?: AbortSignal;
}

type UserPart = TextPart | FilePart;

export async function toModelMessages(
  sources: readonly InputItemSource[],
  options: ConvertOptions,
): Promise<ConvertedInput> {
  const signatures = await readSignatures(sources, options.config);
  const callNames = namesOfCalls(sources);
  const media = await readMedia(sources, options);

  const instructions: string[] = [];
  const messages: ModelMessage[] = [];
  let modelTurn: { text: string[]; calls: ToolCallPart[] } | undefined;
  let toolTurn: ToolResultPart[] | undefined;
  const flush = () => {
    if (modelTurn) messages.push(assistantTurn(modelTurn.text, modelTurn.calls));
    if (toolTurn) messages.push({ role: 'tool', content: toolTurn });
    modelTurn = undefined;
    toolTurn = undefined;
  };
  const openModelTurn = () => {
    if (toolTurn) flush();
    modelTurn ??= { text: [], calls: [] };
    return modelTurn;
  };
  const openToolTurn = () => {
    if (modelTurn && !toolTurn) {
      messages.push(assistantTurn(modelTurn.text, modelTurn.calls));
      modelTurn = undefined;
    }
    toolTurn ??= [];
    return toolTurn;
  };

  for (const { item, param } of sources) {
    switch (item.type) {
      case 'message':
        if (item.role === 'system' || item.role === 'developer') {
          instructions.push(textOf(item.content, `${param}.content`));
        } else if (item.role === 'assistant') {
          const text = textOf(item.content, `${param}.content`);
          if (text) openModelTurn().text.push(text);
        } else {
          flush();
          messages.push({ role: 'user', content: userContent(item.content, param, media) });
        }
        break;
      case 'function_call':
      case 'custom_tool_call': {
        const input =
          item.type === 'function_call'
            ? parseArguments(item.arguments, `${param}.arguments`)
            : { [CUSTOM_TOOL_INPUT]: item.input };
        // Own keys only: a call_id such as `constructor` must not find Object's members.
        const signature = Object.hasOwn(signatures, item.call_id) ? signatures[item.call_id] : undefined;
        openModelTurn().calls.push({
          type: 'tool-call',
          toolCallId: item.call_id,
          toolName: item.type === 'function_call' ? qualifiedName(item.name, item.namespace) : item.name,
          input,
          // Read back by @ai-sdk/google into the functionCall part's `thoughtSignature`, which Gemini 3 requires.
          ...(signature ? { providerOptions: { google: { thoughtSignature: signature } } } : {}),
        });
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const toolName = callNames.get(item.call_id);
        if (toolName === undefined) {
          throw invalidRequest(
            `${param}.call_id ${JSON.stringify(item.call_id)} answers no function_call in the input or in the stored conversation.`,
            `${param}.call_id`,
            'missing_tool_call',
          );
        }
        openToolTurn().push({
          type: 'tool-result',
          toolCallId: item.call_id,
          toolName,
          output: { type: 'text', value: textOf(item.output, `${param}.output`) },
        });
        break;
      }
      case 'reasoning':
        // Its summary is Gemini's own past thinking, which Gemini does not take back as input; its signatures
        // were read above.
        break;
      case 'item_reference':
        throw invalidRequest(
          `${param} is an item_reference, which Iris does not resolve: send the item itself, or continue with previous_response_id.`,
          param,
          'unsupported_parameter',
        );
    }
  }
  flush();

  if (!messages.some((m) => m.role === 'user')) {
    throw invalidRequest('input must contain at least one user message.', 'input', 'missing_user_message');
  }
  const instruction = instructions.filter((s) => s.length > 0).join('\n\n');
  return { instructions: instruction || undefined, messages };
}

/** A model turn: its text first, then its calls. */
function assistantTurn(text: readonly string[], calls: readonly ToolCallPart[]): AssistantModelMessage {
  const joined = text.join('\n');
  if (calls.length === 0) return { role: 'assistant', content: joined };
  return { role: 'assistant', content: [...(joined ? [{ type: 'text' as const, text: joined }] : []), ...calls] };
}

/** Functions of a namespace tool are declared to Gemini as `<namespace>__<name>` (tools.ts). */
export function qualifiedName(name: string, namespace: string | null | undefined): string {
  return namespace ? `${namespace}__${name}` : name;
}

async function readSignatures(
  sources: readonly InputItemSource[],
  config: ConvertOptions['config'],
): Promise<ThoughtSignatures> {
  const all: ThoughtSignatures = {};
  for (const { item, param } of sources) {
    if (item.type !== 'reasoning' || !item.encrypted_content) continue;
    Object.assign(all, await unsealSignatures(item.encrypted_content, `${param}.encrypted_content`, config));
  }
  return all;
}

function namesOfCalls(sources: readonly InputItemSource[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { item } of sources) {
    if (item.type === 'function_call') names.set(item.call_id, qualifiedName(item.name, item.namespace));
    if (item.type === 'custom_tool_call') names.set(item.call_id, item.name);
  }
  return names;
}

/** Every image and PDF of the user messages, fetched or decoded at once, by `<param>.content[j]`. */
async function readMedia(sources: readonly InputItemSource[], options: ConvertOptions): Promise<Map<string, FilePart>> {
  const jobs: { part: ContentPart; at: string }[] = [];
  for (const { item, param } of sources) {
    if (item.type !== 'message' || item.role !== 'user' || typeof item.content === 'string') continue;
    item.content.forEach((part, j) => {
      if (part.type === 'input_image' || part.type === 'input_file') jobs.push({ part, at: `${param}.content[${j}]` });
    });
  }
  if (jobs.length > options.limits.maxPerRequest) {
    throw invalidRequest(
      `The request has ${jobs.length} images and files; this server accepts at most ${options.limits.maxPerRequest} per request.`,
      'input',
      'too_many_images',
    );
  }
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
  const budget = new ByteBudget(options.limits.maxTotalBytes);
  const media = new Map<string, FilePart>();
  try {
    await Promise.all(
      jobs.map(async ({ part, at }) => media.set(at, await readPart(part, at, { ...options, signal, budget }))),
    );
  } catch (error) {
    abort.abort();
    throw error;
  }
  return media;
}

async function readPart(
  part: ContentPart,
  at: string,
  options: ConvertOptions & { signal: AbortSignal; budget: ByteBudget },
): Promise<FilePart> {
  if (part.type === 'input_image') {
    if (part.file_id != null) throw noFilesApi(`${at}.file_id`, 'input_image.image_url');
    if (!part.image_url) {
      throw invalidRequest(`${at}.image_url is required: an https URL or a data: URL.`, `${at}.image_url`);
    }
    const param = `${at}.image_url`;
    const image = await resolveImage(part.image_url, { ...options, param });
    // Tagged: the SDK tries a bare string as a URL first, which copies megabytes of base64, twice per image.
    return { type: 'file', mediaType: image.mediaType, data: { type: 'data', data: image.data } };
  }
  if (part.type === 'input_file') {
    if (part.file_id != null) throw noFilesApi(`${at}.file_id`, 'input_file.file_data');
    if (part.file_url != null) {
      throw invalidRequest(
        `${at}.file_url is not supported: Iris does not fetch documents. Send the PDF inline as file_data (data:application/pdf;base64,…).`,
        `${at}.file_url`,
        'unsupported_parameter',
      );
    }
    return decodePdfDataUrl(part.file_data, `${at}.file_data`, {
      maxBytes: options.limits.maxBytes,
      budget: options.budget,
    });
  }
  throw new Error(`readPart: ${part.type} carries no media`);
}

function noFilesApi(param: string, instead: string) {
  return invalidRequest(
    `${param} is not supported: Iris has no Files API. Send the content inline as ${instead}.`,
    param,
    'unsupported_parameter',
  );
}

function userContent(
  content: string | readonly ContentPart[],
  param: string,
  media: ReadonlyMap<string, FilePart>,
): string | UserPart[] {
  if (typeof content === 'string') return content;
  const parts: UserPart[] = [];
  content.forEach((part, j) => {
    const at = `${param}.content[${j}]`;
    if (part.type === 'input_text' || part.type === 'output_text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'refusal') parts.push({ type: 'text', text: part.refusal });
    else {
      const file = media.get(at);
      if (file) parts.push(file);
    }
  });
  if (parts.length === 0) throw invalidRequest(`${param}.content has nothing to send.`, `${param}.content`);
  return parts;
}

/** The text of a message, a function output or an instruction; images have no place there. */
function textOf(content: string | readonly ContentPart[], param: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, j) => {
      if (part.type === 'input_text' || part.type === 'output_text') return part.text;
      if (part.type === 'refusal') return part.refusal;
      throw invalidRequest(
        `${param}[${j}] is ${part.type}: only user messages may carry images and files.`,
        `${param}[${j}]`,
        'unsupported_parameter',
      );
    })
    .join('\n');
}
