import { getDb } from '@/lib/db/client';
import { ApiError, chatNotFound } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { publicOrigin } from '@/lib/http/public-url';
import { requireOwner } from '@/lib/http/require-owner';
import { snapshotOf } from '@/lib/share/snapshot';
import { getChat } from '@/lib/storage/chats';
import { getFile } from '@/lib/storage/files';
import { deleteShare, getShare, getShareOfChat, putShare, type StoredShare } from '@/lib/storage/shares';

export const shareNotFound = () =>
  new ApiError(404, 'No such share: the link is wrong or was revoked.', { code: 'share_not_found' });

const describeShare = (request: Request, context: RouteContext, share: StoredShare) => ({
  id: share.id,
  // PUBLIC_URL when set: the request's Host is the client's to choose.
  url: `${publicOrigin(context.config, request.headers)}/s/${share.id}`,
  createdAt: share.createdAt.toISOString(),
});

/** POST /api/chats/:id/share — a read-only link to a snapshot of the chat's current branch (again: refreshed). */
export async function handleCreateShare(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  const db = await getDb();
  const chat = await getChat(db, ownerId, params.id);
  if (!chat) throw chatNotFound();
  const share = await putShare(db, ownerId, chat.id, snapshotOf(chat, chat.messages));
  return Response.json(describeShare(request, context, share), { status: 201, headers: context.headers });
}

/**
 * GET /api/chats/:id/share — `{shared: true, id, url, createdAt}`, or `{shared: false}` (not an error: the share
 * dialog asks this of every chat it opens for).
 */
export async function handleGetShare(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: false });
  const db = await getDb();
  const share = await getShareOfChat(db, ownerId, params.id);
  if (share)
    return Response.json({ shared: true, ...describeShare(request, context, share) }, { headers: context.headers });
  if (!(await getChat(db, ownerId, params.id))) throw chatNotFound();
  return Response.json({ shared: false }, { headers: context.headers });
}

/** DELETE /api/chats/:id/share — revokes the link: the page and its images are 404s from then on. */
export async function handleDeleteShare(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  const db = await getDb();
  if (await deleteShare(db, ownerId, params.id)) return new Response(null, { status: 204, headers: context.headers });
  if (!(await getChat(db, ownerId, params.id))) throw chatNotFound();
  throw shareNotFound();
}

/**
 * GET /s/:id/files/:index — an image of a share, for anyone with the link and only through it: the index is the
 * image's place in the snapshot, so no file id of the owner's is ever exposed or reachable.
 */
export async function handleSharedFile(
  request: Request,
  context: RouteContext,
  params: { id: string; index: string },
): Promise<Response> {
  const db = await getDb();
  const share = await getShare(db, params.id);
  const index = /^\d{1,6}$/.test(params.index) ? Number(params.index) : -1;
  const fileId = share?.fileIds[index];
  const file = share && fileId ? await getFile(db, share.ownerId, fileId) : null;
  if (!file) throw new ApiError(404, 'No such file.', { code: 'file_not_found', param: 'index' });
  const etag = `"${file.sha256}"`;
  // Revalidated each time (no-cache), so a revoked share stops serving its images at once, and never stored by
  // shared caches.
  const headers = { ...context.headers, etag, 'cache-control': 'private, no-cache', 'referrer-policy': 'no-referrer' };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(Buffer.from(file.bytes), {
    headers: {
      ...headers,
      'content-type': file.mediaType,
      'content-length': String(file.byteSize),
      'x-content-type-options': 'nosniff',
    },
  });
}
