import { z } from 'zod';
import { describeChatWithMessages } from '@/lib/chat/handle-chats';
import { getDb } from '@/lib/db/client';
import { ApiError, chatNotFound } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { parseBody } from '@/lib/http/parse-body';
import { readJsonBody } from '@/lib/http/read-json-body';
import { requireOwner } from '@/lib/http/require-owner';
import { getChat } from '@/lib/storage/chats';
import { chooseMessage } from '@/lib/storage/message-tree';
import { ID_PATTERN } from '@/lib/storage/validate';

const ChooseVersion = z.object({
  messageId: z.string().regex(ID_PATTERN, 'must be a message id'),
});

/**
 * POST /api/chats/:id/branch {messageId} — shows that version: the message and its ancestors become the current
 * branch (below it, what was chosen there before). Answers the chat as GET /api/chats/:id does.
 */
export async function handleChooseVersion(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  const body = parseBody(ChooseVersion, await readJsonBody(request, 64 * 1024));
  const db = await getDb();
  if (!(await chooseMessage(db, ownerId, params.id, body.messageId))) {
    if (!(await getChat(db, ownerId, params.id))) throw chatNotFound();
    throw new ApiError(404, 'No such message in this chat.', { code: 'message_not_found', param: 'messageId' });
  }
  const chat = await getChat(db, ownerId, params.id);
  if (!chat) throw chatNotFound();
  return Response.json(describeChatWithMessages(chat), { headers: context.headers });
}
