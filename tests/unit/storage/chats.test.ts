import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chats } from '@/lib/db/schema';
import { type Chat, createChat, getChat, listChats, renameChat, updateChat } from '@/lib/storage/chats';
import { appendMessage } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const MODEL = 'gemini-3-flash-preview';

describe.each(backends)('chats on $name', (backend) => {
  const handle = useDatabase(backend);

  /** Every page of the owner's list, following cursors to the end. */
  async function allPages(ownerId: string, options: { limit: number; query?: string }): Promise<Chat[][]> {
    const pages: Chat[][] = [];
    let cursor: string | null = null;
    do {
      const page = await listChats(handle.db, ownerId, { ...options, cursor });
      pages.push(page.chats);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it('creates a chat with defaults, or with the id, title and settings given', async () => {
    const alice = owner();
    const plain = await createChat(handle.db, alice, { model: MODEL });
    expect(plain).toMatchObject({ ownerId: alice, title: 'New chat', model: MODEL, settings: {} });
    expect(plain.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.createdAt.getTime()).toBe(plain.updatedAt.getTime());

    const chosen = await createChat(handle.db, alice, {
      id: 'client_made-ID_1',
      title: '  Holiday\n photos  ',
      model: MODEL,
      settings: { systemPrompt: 'Be brief.', temperature: 0.4, maxTokens: 512 },
    });
    expect(chosen).toMatchObject({
      id: 'client_made-ID_1',
      title: 'Holiday photos',
      settings: { systemPrompt: 'Be brief.', temperature: 0.4, maxTokens: 512 },
    });
    expect(await getChat(handle.db, alice, chosen.id)).toEqual({ ...chosen, messages: [], versions: {} });
  });

  it('fits a long or blank first title instead of refusing it', async () => {
    const alice = owner();
    const long = await createChat(handle.db, alice, { title: 'x'.repeat(500), model: MODEL });
    expect(long.title).toHaveLength(200);
    expect(long.title.endsWith('…')).toBe(true);
    expect((await createChat(handle.db, alice, { title: '   ', model: MODEL })).title).toBe('New chat');
  });

  it('refuses bad ids, a reused id, bad settings and a missing model', async () => {
    const alice = owner();
    await expect(createChat(handle.db, alice, { id: 'has space', model: MODEL })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_id',
    });
    await expect(createChat(handle.db, alice, { id: 'x'.repeat(65), model: MODEL })).rejects.toMatchObject({
      code: 'invalid_id',
    });
    await createChat(handle.db, alice, { id: 'taken', model: MODEL });
    await expect(createChat(handle.db, alice, { id: 'taken', model: MODEL })).rejects.toMatchObject({
      status: 409,
      code: 'chat_exists',
    });
    await expect(createChat(handle.db, alice, { model: MODEL, settings: { temperature: 3 } })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_settings',
    });
    await expect(
      createChat(handle.db, alice, { model: MODEL, settings: { colour: 'red' } as never }),
    ).rejects.toMatchObject({ code: 'invalid_settings' });
    await expect(createChat(handle.db, alice, { model: ' ' })).rejects.toMatchObject({ code: 'invalid_model' });
  });

  it('lets two owners use the same chat id without seeing each other', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    await createChat(handle.db, alice, { id: 'shared-id', title: 'Alice', model: MODEL });
    await createChat(handle.db, bob, { id: 'shared-id', title: 'Bob', model: MODEL });
    expect((await getChat(handle.db, alice, 'shared-id'))?.title).toBe('Alice');
    expect((await getChat(handle.db, bob, 'shared-id'))?.title).toBe('Bob');
  });

  it('renames and updates without moving the chat up the list; a message does move it', async () => {
    const alice = owner();
    const chat = await createChat(handle.db, alice, { model: MODEL, settings: { temperature: 1 } });
    await sleep(5);
    const renamed = await renameChat(handle.db, alice, chat.id, 'Renamed');
    expect(renamed).toMatchObject({ title: 'Renamed', updatedAt: chat.updatedAt });
    const updated = await updateChat(handle.db, alice, chat.id, { model: 'gemini-3.1-pro-preview', settings: {} });
    expect(updated).toMatchObject({ title: 'Renamed', model: 'gemini-3.1-pro-preview', settings: {} });
    expect(updated?.updatedAt).toEqual(chat.updatedAt);
    expect(await updateChat(handle.db, alice, chat.id, {})).toEqual(updated);
    await expect(renameChat(handle.db, alice, chat.id, ' \n ')).rejects.toMatchObject({ code: 'invalid_title' });
    await expect(renameChat(handle.db, alice, chat.id, 'x'.repeat(201))).rejects.toMatchObject({
      code: 'invalid_title',
    });

    await sleep(5);
    await appendMessage(handle.db, alice, chat.id, { role: 'user', parts: [{ type: 'text', text: 'hi' }] });
    const after = await getChat(handle.db, alice, chat.id);
    expect(after?.updatedAt.getTime()).toBeGreaterThan(chat.updatedAt.getTime());
    expect(await renameChat(handle.db, alice, 'no-such-chat', 'x')).toBeNull();
  });

  it('lists newest first across pages, with no duplicate or gap when many chats share a timestamp', async () => {
    const alice = owner();
    const made: Chat[] = [];
    for (let i = 0; i < 11; i++) made.push(await createChat(handle.db, alice, { title: `Chat ${i}`, model: MODEL }));
    // Seven chats in the very same millisecond, the rest spread around them.
    const tie = new Date('2030-01-01T00:00:00.123Z');
    for (const [i, chat] of made.entries()) {
      const updatedAt = i < 7 ? tie : new Date(tie.getTime() + (i % 2 === 0 ? 1 : -1) * i * 1000);
      await handle.db
        .update(chats)
        .set({ updatedAt })
        .where(and(eq(chats.ownerId, alice), eq(chats.id, chat.id)));
    }
    const full = (await listChats(handle.db, alice, { limit: 100 })).chats;
    expect(full).toHaveLength(11);
    for (let i = 1; i < full.length; i++) {
      const [prev, cur] = [full[i - 1] as Chat, full[i] as Chat];
      expect(prev.updatedAt.getTime()).toBeGreaterThanOrEqual(cur.updatedAt.getTime());
    }
    for (const limit of [1, 2, 3, 4, 10, 11]) {
      const pages = await allPages(alice, { limit });
      expect(pages.flat().map((c) => c.id)).toEqual(full.map((c) => c.id));
      expect(pages.every((page) => page.length <= limit)).toBe(true);
      expect(pages.at(-1)?.length).toBeGreaterThan(0);
    }
    const first = await listChats(handle.db, alice, { limit: 11 });
    expect(first.nextCursor).toBeNull();
  });

  it('defaults to 30 per page, caps at 100 and refuses bad limits and cursors', async () => {
    const alice = owner();
    for (let i = 0; i < 31; i++) await createChat(handle.db, alice, { model: MODEL });
    const page = await listChats(handle.db, alice);
    expect(page.chats).toHaveLength(30);
    expect(page.nextCursor).not.toBeNull();
    expect((await listChats(handle.db, alice, { limit: 1000 })).chats).toHaveLength(31);
    await expect(listChats(handle.db, alice, { limit: 0 })).rejects.toMatchObject({ code: 'invalid_limit' });
    for (const cursor of ['garbage', Buffer.from('["not a date","x"]').toString('base64url')]) {
      await expect(listChats(handle.db, alice, { cursor })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_cursor',
      });
    }
  });

  it('searches titles and message text, case-insensitively, with % and _ taken literally', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const percent = await createChat(handle.db, alice, { title: 'Budget 100% done', model: MODEL });
    const underscore = await createChat(handle.db, alice, { title: 'snake_case names', model: MODEL });
    const plain = await createChat(handle.db, alice, { title: 'Plain title', model: MODEL });
    const backslash = await createChat(handle.db, alice, { title: 'C:\\temp path', model: MODEL });
    await appendMessage(handle.db, alice, plain.id, {
      role: 'user',
      parts: [{ type: 'text', text: 'The Quick brown fox' }],
    });
    await appendMessage(handle.db, alice, plain.id, {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'thinking about zebras' },
        { type: 'text', text: 'It jumps.' },
      ],
    });
    await createChat(handle.db, bob, { title: 'Budget of Bob, quick', model: MODEL });

    const ids = async (query: string) => (await listChats(handle.db, alice, { query })).chats.map((c) => c.id).sort();
    expect(await ids('budget')).toEqual([percent.id]);
    expect(await ids('QUICK')).toEqual([plain.id]);
    expect(await ids('jumps')).toEqual([plain.id]);
    expect(await ids('%')).toEqual([percent.id]);
    expect(await ids('_')).toEqual([underscore.id]);
    expect(await ids('e_c')).toEqual([underscore.id]);
    expect(await ids('\\')).toEqual([backslash.id]);
    expect(await ids('zebras')).toEqual([]);
    expect(await ids('nothing like this')).toEqual([]);
    expect(await ids('  ')).toHaveLength(4);

    const paged = await allPages(alice, { limit: 1, query: 'e' });
    expect(
      paged
        .flat()
        .map((c) => c.id)
        .sort(),
    ).toEqual([percent.id, underscore.id, plain.id, backslash.id].sort());
  });
});
