import { authorize } from '@/lib/auth';
import { getDb } from '@/lib/db/client';
import { invalidRequest, responseNotFound } from '@/lib/errors';
import type { RouteContext } from '@/lib/http/api-route';
import { apiOwnerId } from '@/lib/owner';
import { deleteStoredResponse, getStoredResponse, type StoredItem } from '@/lib/storage/responses';

// Ids arrive decoded once, by Next; they are never decoded again (`%25` would become a broken escape).

/** GET /v1/responses/{id}: a stored response, as it was answered. */
export async function handleGetResponse(request: Request, context: RouteContext, params: { id: string }) {
  await authorize(request, context.config);
  const stored = await getStoredResponse(await getDb(), apiOwnerId(request), params.id, {
    retentionDays: context.config.responsesRetentionDays,
  });
  return Response.json(stored.response, { headers: context.headers });
}

/** DELETE /v1/responses/{id}. */
export async function handleDeleteResponse(request: Request, context: RouteContext, params: { id: string }) {
  await authorize(request, context.config);
  const id = params.id;
  if (!(await deleteStoredResponse(await getDb(), apiOwnerId(request), id))) throw responseNotFound(id);
  return Response.json({ id, object: 'response', deleted: true }, { headers: context.headers });
}

const MAX_LIMIT = 100;

/** GET /v1/responses/{id}/input_items: the items the response answered, newest first unless `order=asc`. */
export async function handleListInputItems(request: Request, context: RouteContext, params: { id: string }) {
  await authorize(request, context.config);
  const stored = await getStoredResponse(await getDb(), apiOwnerId(request), params.id, {
    retentionDays: context.config.responsesRetentionDays,
  });
  const search = new URL(request.url).searchParams;
  const order = search.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest('order must be "asc" or "desc".', 'order');
  const limit = Number(search.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}.`, 'limit');
  }
  const items = (order === 'asc' ? stored.input : [...stored.input].reverse()).map(asItemResource);
  const after = search.get('after');
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  if (after !== null && start === 0) throw invalidRequest(`after names no item of this response.`, 'after');
  const page = items.slice(start, start + limit);
  return Response.json(
    {
      object: 'list',
      data: page,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
      has_more: start + limit < items.length,
    },
    { headers: context.headers },
  );
}

/** An input item as the spec lists it: messages with their content as parts, and a status. */
function asItemResource(item: StoredItem): StoredItem & { id: string } {
  const id = item.id ?? '';
  if (item.type !== 'message') return { ...item, id };
  const content =
    typeof item.content === 'string'
      ? [
          item.role === 'assistant'
            ? { type: 'output_text' as const, text: item.content, annotations: [], logprobs: [] }
            : { type: 'input_text' as const, text: item.content },
        ]
      : item.content;
  return { ...item, id, content, status: 'completed' };
}
