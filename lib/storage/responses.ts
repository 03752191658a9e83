import { and, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { responses } from '@/lib/db/schema';
import { responseNotFound } from '@/lib/errors';
import { replaceNul } from '@/lib/nul';
import { newItemId } from '@/lib/openai/responses/output-assembler';
import { InputItem } from '@/lib/openai/responses/request-schema';
import type { ResponseObject } from '@/lib/openai/responses/response-object';
import type { InputItemSource } from '@/lib/openai/responses/to-model-messages';

/**
 * Stored Responses, per owner: another owner's id behaves exactly like one that does not exist, also as a
 * `previous_response_id`. Rows older than RESPONSES_RETENTION_DAYS are never read, and are deleted by a clean-up
 * that runs on its own as responses are stored.
 */

export interface StoredResponse {
  id: string;
  response: ResponseObject;
  /** This turn's input items, each with an id. */
  input: StoredItem[];
  /** Every item before them. */
  history: StoredItem[];
}

export type StoredItem = InputItem & { id?: string };

const StoredItems = z.array(InputItem);
const RESPONSE_ID = /^resp_[A-Za-z0-9]{1,96}$/;
const CLEAN_UP_EVERY_MS = 10 * 60_000;
let lastCleanUp = 0;

export async function saveResponse(
  db: Db,
  ownerId: string,
  turn: { response: ResponseObject; input: readonly InputItemSource[]; previous?: StoredResponse },
  retentionDays: number,
): Promise<void> {
  const history = turn.previous
    ? [...turn.previous.history, ...turn.previous.input, ...(turn.previous.response.output as StoredItem[])]
    : [];
  await db.insert(responses).values({
    ownerId,
    id: turn.response.id,
    // Gemini's output may hold a NUL, which jsonb cannot; the caller's input was refused for one already.
    response: replaceNul(turn.response) as unknown as Record<string, unknown>,
    input: turn.input.map(({ item }) => withId(item)),
    history,
  });
  await cleanUpNowAndThen(db, retentionDays);
}

export async function getStoredResponse(
  db: Db,
  ownerId: string,
  id: string,
  options: { retentionDays: number; param?: string },
): Promise<StoredResponse> {
  const param = options.param ?? null;
  if (!RESPONSE_ID.test(id)) throw responseNotFound(id, param);
  const [row] = await db
    .select()
    .from(responses)
    .where(and(eq(responses.ownerId, ownerId), eq(responses.id, id)));
  if (!row || row.createdAt < retentionCutoff(options.retentionDays)) throw responseNotFound(id, param);
  return {
    id: row.id,
    response: row.response as unknown as ResponseObject,
    input: StoredItems.parse(row.input),
    history: StoredItems.parse(row.history),
  };
}

/** False when there was no such response for this owner. */
export async function deleteStoredResponse(db: Db, ownerId: string, id: string): Promise<boolean> {
  if (!RESPONSE_ID.test(id)) return false;
  const deleted = await db
    .delete(responses)
    .where(and(eq(responses.ownerId, ownerId), eq(responses.id, id)))
    .returning({ id: responses.id });
  return deleted.length > 0;
}

/** The conversation a stored response ends, as input for the next turn. */
export function historyOf(stored: StoredResponse): InputItemSource[] {
  const items = [...stored.history, ...stored.input, ...StoredItems.parse(stored.response.output)];
  return items.map((item) => ({ item, param: 'previous_response_id' }));
}

export async function deleteExpiredResponses(db: Db, retentionDays: number): Promise<number> {
  const deleted = await db
    .delete(responses)
    .where(lt(responses.createdAt, retentionCutoff(retentionDays)))
    .returning({ id: responses.id });
  return deleted.length;
}

/** At most every ten minutes per instance: enough to keep the table to its retention, cheap on every write. */
async function cleanUpNowAndThen(db: Db, retentionDays: number): Promise<void> {
  const now = Date.now();
  if (now - lastCleanUp < CLEAN_UP_EVERY_MS) return;
  lastCleanUp = now;
  await deleteExpiredResponses(db, retentionDays);
}

function retentionCutoff(retentionDays: number): Date {
  return new Date(Date.now() - retentionDays * 24 * 60 * 60_000);
}

/** Items are listed by id (`input_items`); one the caller sent without gets one, as OpenAI gives it. */
function withId(item: InputItem): StoredItem {
  if ('id' in item && typeof item.id === 'string') return item;
  const prefix = item.type === 'function_call' ? 'fc' : item.type === 'reasoning' ? 'rs' : 'msg';
  return { ...item, id: newItemId(prefix) };
}
