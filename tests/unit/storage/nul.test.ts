import { describe, expect, it } from 'vitest';
import { createChat, getChat, listChats, updateChat } from '@/lib/storage/chats';
import { appendMessage, updateMessage } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const MODEL = 'gemini-3-flash-preview';

/** PostgreSQL refuses U+0000 in text and jsonb: the repositories refuse it first, as a 400 naming the field. */
describe.each(backends)('NUL characters on $name', (backend) => {
  const handle = useDatabase(backend);

  it('are refused in titles, system prompts, message text and searches, and nothing is written', async () => {
    const alice = owner();
    await expect(createChat(handle.db, alice, { model: MODEL, title: 'a\u0000b' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_title',
      param: 'title',
    });
    await expect(
      createChat(handle.db, alice, { model: MODEL, settings: { systemPrompt: 'x\u0000' } }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_settings', param: 'settings' });
    expect((await listChats(handle.db, alice)).chats).toEqual([]);

    const chat = await createChat(handle.db, alice, { model: MODEL });
    await expect(updateChat(handle.db, alice, chat.id, { title: 'x\u0000y' })).rejects.toMatchObject({
      code: 'invalid_title',
    });
    await expect(
      appendMessage(handle.db, alice, chat.id, { role: 'user', parts: [{ type: 'text', text: 'h\u0000i' }] }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_parts', param: 'parts[0]' });
    await expect(listChats(handle.db, alice, { query: 'a\u0000' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_query',
    });
    expect((await getChat(handle.db, alice, chat.id))?.messages).toEqual([]);
  });

  it('in an error text from upstream are replaced, so the failed answer is still saved', async () => {
    const alice = owner();
    const chat = await createChat(handle.db, alice, { model: MODEL });
    const answer = await appendMessage(handle.db, alice, chat.id, {
      role: 'assistant',
      parts: [],
      status: 'streaming',
    });
    const saved = await updateMessage(handle.db, alice, answer.id, { status: 'error', error: 'bad\u0000byte' });
    expect(saved?.error).toBe('bad\uFFFDbyte');
  });
});
