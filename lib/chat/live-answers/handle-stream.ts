import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import { followLiveStream } from '@/lib/chat/live-answers/live-stream';
import { answerStreamId, requestStop } from '@/lib/chat/live-answers/runs';
import { type Db, getDb } from '@/lib/db/client';
import { chatNotFound } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { requireOwner } from '@/lib/http/require-owner';
import { getChat } from '@/lib/storage/chats';
import { type StoredMessage, updateMessage } from '@/lib/storage/messages';

const CHAT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** How long a Stop waits for the answer to be saved as stopped, so the next send does not find the chat busy. */
const STOP_SETTLES_WITHIN_MS = 5_000;

/**
 * GET /api/chat/{id}/stream — useChat's `resume`: the owner's running answer in this chat, replayed from its
 * start and then live; 204 when no answer is running (it is done, and the chat's messages hold it).
 */
export async function handleFollowAnswer(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: false });
  const db = await getDb();
  const running = await runningAnswer(db, ownerId, params.id);
  const stream = running && (await followLiveStream(answerStreamId(ownerId, params.id, running.id)));
  if (!stream) return new Response(null, { status: 204, headers: context.headers });
  return new Response(stream.pipeThrough(new TextEncoderStream()), {
    headers: { ...UI_MESSAGE_STREAM_HEADERS, ...context.headers },
  });
}

/**
 * DELETE /api/chat/{id}/stream — the Stop button: stops the owner's running answer in this chat on whichever
 * instance writes it, and answers 204 once it is saved as stopped. Closing or reloading the page never stops one.
 */
export async function handleStopAnswer(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  if (!CHAT_ID.test(params.id)) throw chatNotFound();
  // Before the chat is looked up: a first message still on its way may not have created it yet.
  await requestStop(ownerId, params.id);
  const db = await getDb();
  if (!(await getChat(db, ownerId, params.id))) throw chatNotFound();
  const deadline = Date.now() + STOP_SETTLES_WITHIN_MS;
  for (;;) {
    const running = await runningAnswer(db, ownerId, params.id);
    if (!running) break;
    if (Date.now() > deadline) {
      // Nobody is writing it (its server went down mid-answer): it is stopped where it is.
      await updateMessage(db, ownerId, running.id, { status: 'stopped' });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return new Response(null, { status: 204, headers: context.headers });
}

async function runningAnswer(db: Db, ownerId: string, chatId: string): Promise<StoredMessage | undefined> {
  if (!CHAT_ID.test(chatId)) throw chatNotFound();
  const chat = await getChat(db, ownerId, chatId);
  if (!chat) throw chatNotFound();
  return chat.messages.findLast((m) => m.role === 'assistant' && m.status === 'streaming');
}
