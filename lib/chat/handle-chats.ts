import { z } from 'zod';
import { chatDefaultModel } from '@/lib/chat/default-model';
import { toUIMessage } from '@/lib/chat/ui-messages';
import { withVersions } from '@/lib/chat/versions';
import { getDb } from '@/lib/db/client';
import { ApiError, chatNotFound, invalidRequest } from '@/lib/errors';
import { MODEL_ID_PATTERN } from '@/lib/gemini/model-id';
import type { RouteContext } from '@/lib/http/api-route';
import { parseBody } from '@/lib/http/parse-body';
import { readJsonBody } from '@/lib/http/read-json-body';
import { requireOwner } from '@/lib/http/require-owner';
import { hasNul, storableString } from '@/lib/nul';
import { type Chat, createChat, deleteChat, getChat, listChats, updateChat } from '@/lib/storage/chats';

const Settings = z.object({
  systemPrompt: storableString().max(20_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.int().min(1).max(1_000_000).optional(),
});
const ChatPatch = z.object({
  title: storableString().trim().min(1).max(200).optional(),
  model: z.string().regex(MODEL_ID_PATTERN).optional(),
  settings: Settings.optional(),
});
const NewChat = ChatPatch.extend({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

// A title, a model and settings: a 20,000-character system prompt is 60 KB at most in UTF-8.
const CHAT_SETTINGS_BODY_BYTES = 128 * 1024;
const SETTINGS_LIMIT = {
  limitName: "a chat's title, model and settings",
  limitAdvice: 'A system prompt may have up to 20,000 characters.',
};

/** GET /api/chats?q=&cursor=&limit= — the owner's chats, newest first. */
export async function handleListChats(request: Request, context: RouteContext): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: false });
  const search = new URL(request.url).searchParams;
  const limit = search.has('limit') ? Number(search.get('limit')) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) {
    throw invalidRequest('limit must be a whole number from 1 to 100.', 'limit');
  }
  const query = search.get('q')?.trim() || undefined;
  if (query !== undefined && hasNul(query)) {
    throw new ApiError(400, 'q must not contain the NUL character (U+0000).', { code: 'invalid_query', param: 'q' });
  }
  const page = await listChats(await getDb(), ownerId, { limit, cursor: search.get('cursor'), query });
  return Response.json(
    { chats: page.chats.map(describeChat), nextCursor: page.nextCursor },
    { headers: context.headers },
  );
}

/** POST /api/chats — an empty chat (the chat UI may also create one by sending its first message). */
export async function handleCreateChat(request: Request, context: RouteContext): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  const body = parseBody(NewChat, await readJsonBody(request, CHAT_SETTINGS_BODY_BYTES, SETTINGS_LIMIT));
  const chat = await createChat(await getDb(), ownerId, {
    id: body.id,
    title: body.title,
    model: body.model ?? (await chatDefaultModel(context.config)),
    settings: body.settings,
  });
  return Response.json(describeChat(chat), { status: 201, headers: context.headers });
}

/** GET /api/chats/:id — the chat and its messages, as the chat UI renders them. */
export async function handleGetChat(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: false });
  const chat = await getChat(await getDb(), ownerId, params.id);
  if (!chat) throw chatNotFound();
  return Response.json(describeChatWithMessages(chat), { headers: context.headers });
}

/** PATCH /api/chats/:id — rename, switch model, change settings. */
export async function handleUpdateChat(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  const patch = parseBody(ChatPatch, await readJsonBody(request, CHAT_SETTINGS_BODY_BYTES, SETTINGS_LIMIT));
  const chat = await updateChat(await getDb(), ownerId, params.id, patch);
  if (!chat) throw chatNotFound();
  return Response.json(describeChat(chat), { headers: context.headers });
}

/** DELETE /api/chats/:id — the chat, its messages, and its images that no other message uses. */
export async function handleDeleteChat(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  if (!(await deleteChat(await getDb(), ownerId, params.id))) throw chatNotFound();
  return new Response(null, { status: 204, headers: context.headers });
}

/** The chat as the chat UI renders it: its current branch, each message with its versions. */
export function describeChatWithMessages(chat: NonNullable<Awaited<ReturnType<typeof getChat>>>) {
  return {
    ...describeChat(chat),
    messages: chat.messages.map((m) => withVersions(toUIMessage(m), chat.versions[m.id])),
  };
}

function describeChat(chat: Chat) {
  return {
    id: chat.id,
    title: chat.title,
    model: chat.model,
    settings: chat.settings,
    createdAt: chat.createdAt.toISOString(),
    updatedAt: chat.updatedAt.toISOString(),
  };
}
