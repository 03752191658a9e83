import type { FilePart, ModelMessage, TextPart } from 'ai';
import { ApiError, invalidRequest } from '@/lib/errors';
import { ByteBudget } from '@/lib/http/read-capped';
import { type ImageLimits, resolveImage } from '@/lib/images/resolve-image';
import { decodeMediaParts } from '@/lib/openai/input-parts';
import type { ChatMessage } from '@/lib/openai/request-schema';
import { assistantTurn, readToolHistory } from '@/lib/openai/tool-messages';

export interface ConvertedPrompt {
  instructions: string | undefined;
  messages: ModelMessage[];
}

export interface ConvertOptions {
  /** `maxTotalBytes` (from ImageLimits) caps all images of the request together. */
  limits: ImageLimits & { maxPerRequest: number };
  signal?: AbortSignal;
}

/**
 * OpenAI messages → AI SDK model messages. System and developer turns become Gemini's single
 * system instruction; every image, in every turn, is fetched or decoded here and sent as bytes,
 * so the SDK never hands Gemini a URL.
 */
export async function toModelMessages(
  messages: readonly ChatMessage[],
  options: ConvertOptions,
): Promise<ConvertedPrompt> {
  // Checked before any image is fetched: a broken tool-call history is refused at once.
  const toolHistory = readToolHistory(messages);
  const imageJobs: { url: string; param: string }[] = [];
  messages.forEach((message, i) => {
    if (message.role !== 'user' || typeof message.content === 'string') return;
    message.content.forEach((part, j) => {
      if (part.type === 'image_url')
        imageJobs.push({ url: part.image_url.url, param: `messages[${i}].content[${j}].image_url.url` });
    });
  });
  if (imageJobs.length > options.limits.maxPerRequest) {
    throw invalidRequest(
      `The request has ${imageJobs.length} images; this server accepts at most ${options.limits.maxPerRequest} per request.`,
      'messages',
      'too_many_images',
    );
  }

  // Fetch every image at once; the first failure aborts the rest instead of leaving them downloading.
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
  // One budget for all of them, charged while they stream in, so together they never buffer more than the limit.
  const budget = new ByteBudget(options.limits.maxTotalBytes);
  // Audio and PDFs first: checking them costs no network, and they share the images' byte budget.
  const media = await decodeMediaParts(messages, { maxBytes: options.limits.maxBytes, budget });
  const images = new Map<string, FilePart>();
  try {
    await Promise.all(
      imageJobs.map(async ({ url, param }) => {
        const image = await resolveImage(url, { limits: options.limits, param, signal, budget });
        // Tagged: the SDK tries a bare string as a URL first, which copies megabytes of base64, twice per image.
        images.set(param, { type: 'file', mediaType: image.mediaType, data: { type: 'data', data: image.data } });
      }),
    );
  } catch (error) {
    abort.abort();
    throw error;
  }

  const instructions: string[] = [];
  const converted: ModelMessage[] = [];
  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        instructions.push(joinText(message.content));
        return;
      case 'user': {
        if (typeof message.content === 'string') {
          converted.push({ role: 'user', content: message.content });
          return;
        }
        const parts: (TextPart | FilePart)[] = [];
        message.content.forEach((part, j) => {
          if (part.type === 'text') parts.push({ type: 'text', text: part.text });
          else if (part.type === 'image_url') {
            const image = images.get(`messages[${i}].content[${j}].image_url.url`);
            if (image) parts.push(image);
          } else {
            const inline = media.get(`messages[${i}].content[${j}]`);
            if (inline) parts.push(inline);
          }
        });
        converted.push({ role: 'user', content: parts });
        return;
      }
      case 'assistant': {
        const text = assistantText(message.content);
        // Gemini refuses a model turn without parts; an empty assistant turn carries nothing anyway.
        const turn = assistantTurn(text, toolHistory.callsOf(i));
        if (turn) converted.push(turn);
        return;
      }
      case 'tool':
        converted.push(toolHistory.resultOf(i));
        return;
      default:
        // Refused earlier by parseChatCompletionRequest; kept so a new role cannot slip through silently.
        throw new ApiError(400, `messages[${i}].role "${message.role}" is not supported.`, {
          param: `messages[${i}].role`,
          code: 'unsupported_parameter',
        });
    }
  });

  if (!converted.some((m) => m.role === 'user')) {
    throw invalidRequest('messages must contain at least one user message.', 'messages', 'missing_user_message');
  }
  const instruction = instructions.filter((s) => s.length > 0).join('\n\n');
  return { instructions: instruction || undefined, messages: converted };
}

function joinText(content: string | readonly { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((p) => p.text).join('\n');
}

function assistantText(content: Extract<ChatMessage, { role: 'assistant' }>['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((p) => (p.type === 'text' ? p.text : ''))
    .filter(Boolean)
    .join('\n');
}
