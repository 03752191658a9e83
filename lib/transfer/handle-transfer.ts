import { chatDefaultModel } from '@/lib/chat/default-model';
import { fileIdsOf } from '@/lib/chat/ui-messages';
import { getDb } from '@/lib/db/client';
import { chatNotFound, invalidRequest } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { requireOwner } from '@/lib/http/require-owner';
import { getFilesByIds } from '@/lib/storage/files';
import { getChatTree } from '@/lib/storage/message-tree';
import { exportFileName, irisExportOf, markdownZipOf } from '@/lib/transfer/export-chat';
import { importChats } from '@/lib/transfer/import-chats';

const FORMATS = ['json', 'markdown'] as const;

/**
 * GET /api/chats/:id/export?format=json|markdown — the chat as a download: Iris's JSON (the whole tree, images
 * embedded; what the import takes back) or Markdown of the current branch in a zip with its images.
 */
export async function handleExport(request: Request, context: RouteContext, params: { id: string }): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: false });
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw invalidRequest(`format must be one of ${FORMATS.join(', ')}.`, 'format');
  }
  const db = await getDb();
  const tree = await getChatTree(db, ownerId, params.id);
  if (!tree) throw chatNotFound();
  const files = await getFilesByIds(db, ownerId, fileIdsOf(tree.messages));
  const headers = { ...context.headers, 'cache-control': 'private, no-store' };
  if (format === 'markdown') {
    return new Response(Buffer.from(markdownZipOf(tree, files)), {
      headers: {
        ...headers,
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${exportFileName(tree.chat.title, 'zip')}"`,
      },
    });
  }
  return new Response(JSON.stringify(irisExportOf(tree, files), null, 2), {
    headers: {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${exportFileName(tree.chat.title, 'iris.json')}"`,
    },
  });
}

/** POST /api/chats/import — Iris's chat JSON or ChatGPT's conversations.json → `{ids}` of the new chats. */
export async function handleImport(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const ownerId = await requireOwner(request, config, { mutating: true });
  const body = await readJsonBody(request, config.maxRequestBytes);
  const ids = await importChats(await getDb(), ownerId, body, {
    defaultModel: await chatDefaultModel(config),
    maxImageBytes: config.maxUploadBytes,
  });
  return Response.json({ ids }, { status: 201, headers: context.headers });
}
