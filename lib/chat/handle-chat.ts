import { randomUUID } from 'node:crypto';
import { type ToolSet, toUIMessageStream, type UIMessage } from 'ai';
import { z } from 'zod';
import { serverGeminiKey } from '@/lib/auth';
import { chatDefaultModel } from '@/lib/chat/default-model';
import { answerEnd, breakAsInterrupted, INTERRUPTED } from '@/lib/chat/live-answers/answer-end';
import { liveAnswerResponse } from '@/lib/chat/live-answers/answer-response';
import { startRun } from '@/lib/chat/live-answers/runs';
import { nameImageOnlyChat } from '@/lib/chat/name-image-chat';
import { readChatBody } from '@/lib/chat/read-chat-body';
import { titleFromText } from '@/lib/chat/title';
import { placeRegeneration, placeUserMessage } from '@/lib/chat/turn-placement';
import {
  fileIdsOf,
  IncomingUserMessage,
  imagesWithinLimits,
  type MessageMetadata,
  storedPartsOfResponse,
  textOf,
  toModelHistory,
  toStoredParts,
} from '@/lib/chat/ui-messages';
import { streamGemini } from '@/lib/core/gemini-call';
import { clampToModel } from '@/lib/core/model-settings';
import { type ModelTarget, resolveModel } from '@/lib/core/model-target';
import { type Db, getDb } from '@/lib/db/client';
import { ApiError, chatNotFound, invalidRequest } from '@/lib/errors';
import { blockedCategory } from '@/lib/gemini/blocked-category';
import { MODEL_ID_PATTERN } from '@/lib/gemini/model-id';
import { thinksAtAll } from '@/lib/gemini/reasoning';
import type { RouteContext } from '@/lib/http/api-route';
import { parseBody } from '@/lib/http/parse-body';
import { requireOwner } from '@/lib/http/require-owner';
import { trackAnswer } from '@/lib/lifecycle/shutdown';
import { toOpenAIUsage } from '@/lib/openai/usage';
import { createChat, deleteChat, getChat, updateChat } from '@/lib/storage/chats';
import { getFileInfosByIds, getFilesByIds } from '@/lib/storage/files';
import { appendMessage, type StoredMessage, type StoredPart, updateMessage } from '@/lib/storage/messages';
import { saveAnswer } from '@/lib/storage/save-queue';
import { toApiError } from '@/lib/upstream-errors';

const ChatRequest = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'),
  // The browser sends only the new message; the history comes from the database.
  message: IncomingUserMessage.optional(),
  // useChat's default transport sends the whole list instead; only its last message is read.
  messages: z.array(z.unknown()).optional(),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
  messageId: z.string().optional(),
  // The message the new question follows on the browser's branch (null: a new version of the first question).
  parentId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a message id')
    .nullable()
    .optional(),
  model: z.string().regex(MODEL_ID_PATTERN).optional(),
});

/**
 * POST /api/chat — the chat UI's stream (AI SDK UI messages). Saves the user's message before Gemini is
 * called and the answer when the stream ends, also when it was stopped or failed, with its status.
 */
export async function handleChat(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const ownerId = await requireOwner(request, config, { mutating: true });
  const body = parseBody(ChatRequest, await readChatBody(request, config));
  // Checked before anything is saved, so a server without a key leaves no unanswered question behind.
  const apiKey = serverGeminiKey(config);
  const db = await getDb();

  let chat = await getChat(db, ownerId, body.id);
  if (chat?.messages.some(isAnswering)) {
    throw new ApiError(
      409,
      'This chat is answering in another tab or window. Wait for that answer, or stop it there, then send again.',
      { code: 'chat_busy' },
    );
  }
  // Edits and regenerations add versions beside the old ones (lib/chat/turn-placement.ts); nothing is deleted.
  let question: string;
  if (body.trigger === 'submit-message') {
    const message = body.message ?? lastMessageOf(body.messages);
    const param = body.message ? 'message' : `messages[${(body.messages?.length ?? 1) - 1}]`;
    const parts = toStoredParts(message, param, { maxChars: config.chatMaxMessageChars });
    // Every referenced image must exist before anything is created, so a bad edit changes nothing.
    await assertFilesExist(db, ownerId, parts, param);
    if (!chat) {
      await createChat(db, ownerId, {
        id: body.id,
        model: body.model ?? (await chatDefaultModel(config)),
        title: titleFromText(textOf(parts)),
      });
    }
    const placed = placeUserMessage(chat?.messages ?? [], body, message.id);
    try {
      await appendMessage(db, ownerId, body.id, { ...placed, role: 'user', parts, status: 'complete' });
    } catch (error) {
      // A refused first message leaves nothing behind, not even the chat it would have started.
      if (!chat) await deleteChat(db, ownerId, body.id);
      throw error;
    }
    question = placed.id;
  } else {
    if (!chat) throw chatNotFound();
    question = placeRegeneration(chat.messages, body.messageId);
  }
  if (chat && body.model && body.model !== chat.model) {
    // The model picked for this turn becomes the chat's model, as the picker shows.
    await updateChat(db, ownerId, body.id, { model: body.model });
  }

  // The answer's place is taken now, right after its question, so concurrent sends cannot interleave answers.
  const assistantId = randomUUID();
  await appendMessage(db, ownerId, body.id, {
    id: assistantId,
    parentId: question,
    role: 'assistant',
    parts: [],
    status: 'streaming',
  });

  chat = await getChat(db, ownerId, body.id);
  if (!chat) throw chatNotFound();
  const sizes = await getFileInfosByIds(db, ownerId, fileIdsOf(chat.messages));
  const limits = { maxImages: config.images.maxPerRequest, maxBytes: config.images.maxTotalBytes };
  const files = await getFilesByIds(db, ownerId, imagesWithinLimits(chat.messages, sizes, limits));

  // The answer goes on when the browser goes away (reload, chat switch, lost connection); only Stop aborts it.
  const live = await startRun({
    ownerId,
    chatId: body.id,
    messageId: assistantId,
    requestedAt: performance.timeOrigin + context.receivedAt,
  });
  // Shutdown waits for this answer and, at its deadline, interrupts it through shutdownAbort.
  const shutdownAbort = new AbortController();
  const callContext = { config, apiKey, abortSignal: AbortSignal.any([live.signal, shutdownAbort.signal]) };
  // A model sent with this turn was saved to the chat above.
  const chatModel = chat.model;
  let target: ModelTarget;
  try {
    target = await resolveModel(chatModel, callContext);
  } catch (error) {
    await updateMessage(db, ownerId, assistantId, { status: 'error', error: toApiError(error).message });
    live.finish();
    throw error;
  }
  const running = trackAnswer(shutdownAbort);
  const gemini = streamGemini(
    {
      model: target,
      instructions: chat.settings.systemPrompt || undefined,
      messages: toModelHistory(chat.messages, files),
      // Saved settings are a preference: a model with lower limits gets the most it can take, not an error.
      settings: clampToModel(target, {
        temperature: chat.settings.temperature,
        maxOutputTokens: chat.settings.maxTokens,
      }),
      // Thought summaries, shown collapsed under "Thoughts"; Gemini refuses a thinkingConfig where there is none.
      ...(thinksAtAll(target) ? { googleOptions: { thinkingConfig: { includeThoughts: true } } } : {}),
    },
    callContext,
  );
  const errorContext = () => ({ modelId: gemini.model().id, secrets: [config.gemini.apiKey ?? ''] });
  let finishReason: string | null = null;
  let usage: Record<string, number> | null = null;
  let failure: string | null = null;
  let finishDetail: string | null = null;

  const stream = toUIMessageStream<ToolSet, UIMessage<MessageMetadata>>({
    stream: readableOf(breakAsInterrupted(gemini.parts)),
    generateMessageId: () => assistantId,
    messageMetadata: ({ part }) => {
      // The core holds `start` back until Gemini has answered, so the serving model is known here.
      if (part.type === 'start') {
        const served = gemini.model();
        const moved = served.how === 'replacement' ? { servedModel: served.id } : {};
        return { createdAt: new Date().toISOString(), model: served.id, ...modelNotice(served), ...moved };
      }
      if (part.type === 'finish-step') finishDetail ??= blockedCategory(part.providerMetadata);
      // Stopped from another tab or instance, or cut by shutdown: the readers' pages mark it as the saved message
      // will be.
      if (part.type === 'abort') return { status: running.interrupted ? 'interrupted' : 'stopped' };
      if (part.type !== 'finish') return undefined;
      finishReason = part.finishReason;
      usage = finishReason === INTERRUPTED ? null : flatUsage(part.totalUsage);
      // What the saved message will say once the stream ends, so the page need not reload to know it.
      const end = answerEnd({ finishReason, failure, aborted: false });
      return {
        finishReason,
        usage,
        status: end.status,
        ...(end.error ? { error: end.error } : {}),
        ...(finishDetail ? { finishDetail } : {}),
      };
    },
    onError: (error) => {
      // The SDK calls this again with the error chunk's own text; the first, mapped message is the one to keep.
      failure ??= toApiError(error, errorContext()).message;
      return failure;
    },
    onEnd: async ({ responseMessage, isAborted, isCancelled }) => {
      const served = gemini.model();
      const end = answerEnd({ finishReason, failure, aborted: Boolean(isAborted || isCancelled) });
      // An answer cut by shutdown is `interrupted` whatever the abort looked like downstream.
      const status = running.interrupted ? 'interrupted' : end.status;
      const answer = storedPartsOfResponse(responseMessage);
      // What the user was shown is kept even while the database is unreachable: saved later, in order.
      await saveAnswer({ ownerId, chatId: body.id, messageId: assistantId }, async () => {
        // The chat goes on with the replacement, so the notice about a retired model is given once.
        if (!failure && served.how === 'replacement') await updateChat(db, ownerId, body.id, { model: served.id });
        await updateMessage(db, ownerId, assistantId, {
          parts: answer,
          status,
          finishReason,
          usage,
          error: status === 'interrupted' ? null : end.error,
          notice: modelNotice(served).notice ?? null,
          model: served.id,
          finishDetail,
        });
        if (status === 'complete') await nameImageOnlyChat(db, ownerId, chat, answer);
      }).finally(() => running.end());
    },
  });
  return liveAnswerResponse(live, stream, context.headers);
}

/** What the conversation says when the chat's model is retired (an operator's alias is their business, not news). */
function modelNotice(target: ModelTarget): Pick<MessageMetadata, 'notice'> {
  return target.how === 'replacement' ? { notice: `${target.asked} is retired; answering with ${target.id}` } : {};
}

const ANSWERING_FOR_AT_MOST_MS = 10 * 60_000;

/** An answer still being written; one left by a crashed server stops counting after a while. */
function isAnswering(message: StoredMessage): boolean {
  return message.status === 'streaming' && Date.now() - message.createdAt.getTime() < ANSWERING_FOR_AT_MOST_MS;
}

async function assertFilesExist(db: Db, ownerId: string, parts: StoredPart[], param: string): Promise<void> {
  const ids = parts.flatMap((p) => (p.type === 'file' ? [p.fileId] : []));
  if (ids.length === 0) return;
  const found = await getFileInfosByIds(db, ownerId, ids);
  const missing = parts.findIndex((p) => p.type === 'file' && !found.has(p.fileId));
  if (missing >= 0) {
    throw invalidRequest(
      `${param}.parts[${missing}] references an image that does not exist.`,
      `${param}.parts[${missing}]`,
      'unknown_file',
    );
  }
}

function lastMessageOf(messages: unknown[] | undefined): z.infer<typeof IncomingUserMessage> {
  const last = messages?.at(-1);
  if (last === undefined) throw invalidRequest('message is required to send a message.', 'message');
  const param = `messages[${(messages?.length ?? 1) - 1}]`;
  return parseBody(IncomingUserMessage, last, param);
}

/** A ReadableStream over the core's parts (`ReadableStream.from` is in Node but not in the DOM typings). */
function readableOf<T>(parts: AsyncIterableIterator<T>): ReadableStream<T> {
  return new ReadableStream<T>({
    async pull(controller) {
      const { done, value } = await parts.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await parts.return?.();
    },
  });
}

function flatUsage(usage: Parameters<typeof toOpenAIUsage>[0]): Record<string, number> {
  const openai = toOpenAIUsage(usage);
  return {
    promptTokens: openai.prompt_tokens,
    completionTokens: openai.completion_tokens,
    totalTokens: openai.total_tokens,
    reasoningTokens: openai.completion_tokens_details.reasoning_tokens,
  };
}
