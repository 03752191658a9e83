import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { responses } from '@/lib/db/schema';
import type { ResponseObject } from '@/lib/openai/responses/response-object';
import {
  deleteExpiredResponses,
  deleteStoredResponse,
  getStoredResponse,
  historyOf,
  saveResponse,
} from '@/lib/storage/responses';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const RETENTION = { retentionDays: 30 };
const answer = (id: string, text: string) =>
  ({
    id,
    object: 'response',
    output: [
      {
        type: 'message',
        id: `msg_${id.slice(5)}`,
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
      },
    ],
  }) as unknown as ResponseObject;
const userSays = (text: string) => [
  { item: { type: 'message' as const, role: 'user' as const, content: text }, param: 'input' },
];

describe.each(backends)('stored responses on $name', (backend) => {
  const handle = useDatabase(backend);

  it('keeps a response with its input, chains history, and hides it from other owners', async () => {
    const alice = owner();
    await saveResponse(handle.db, alice, { response: answer('resp_a1', 'one'), input: userSays('first') }, 30);
    const first = await getStoredResponse(handle.db, alice, 'resp_a1', RETENTION);
    expect(first.input).toEqual([
      { type: 'message', role: 'user', content: 'first', id: expect.stringMatching(/^msg_/) },
    ]);
    await saveResponse(
      handle.db,
      alice,
      { response: answer('resp_a2', 'two'), input: userSays('second'), previous: first },
      30,
    );
    const second = await getStoredResponse(handle.db, alice, 'resp_a2', RETENTION);
    const texts = historyOf(second).map(({ item }) =>
      item.type === 'message'
        ? typeof item.content === 'string'
          ? item.content
          : item.content.map((c) => ('text' in c ? c.text : '')).join('')
        : item.type,
    );
    expect(texts).toEqual(['first', 'one', 'second', 'two']);

    const bob = owner();
    await expect(
      getStoredResponse(handle.db, bob, 'resp_a1', { ...RETENTION, param: 'previous_response_id' }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'response_not_found',
      param: 'previous_response_id',
    });
    expect(await deleteStoredResponse(handle.db, bob, 'resp_a1')).toBe(false);
    expect(await deleteStoredResponse(handle.db, alice, 'resp_a1')).toBe(true);
    await expect(getStoredResponse(handle.db, alice, 'resp_a1', RETENTION)).rejects.toMatchObject({ status: 404 });
  });

  it('treats responses past their retention as gone, and the clean-up deletes them', async () => {
    const alice = owner();
    await saveResponse(handle.db, alice, { response: answer('resp_old', 'old'), input: userSays('x') }, 30);
    await handle.db
      .update(responses)
      .set({ createdAt: new Date(Date.now() - 31 * 24 * 60 * 60_000) })
      .where(eq(responses.id, 'resp_old'));
    await expect(getStoredResponse(handle.db, alice, 'resp_old', RETENTION)).rejects.toMatchObject({ status: 404 });
    expect(await deleteExpiredResponses(handle.db, 30)).toBeGreaterThanOrEqual(1);
    const left = await handle.db.select().from(responses).where(eq(responses.id, 'resp_old'));
    expect(left).toEqual([]);
  });

  it('refuses ids that are not response ids without asking the database', async () => {
    await expect(getStoredResponse(handle.db, owner(), "resp_'; drop table", RETENTION)).rejects.toMatchObject({
      status: 404,
    });
  });
});
