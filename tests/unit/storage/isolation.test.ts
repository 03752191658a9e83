import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Chat, createChat, deleteChat, getChat, listChats, renameChat, updateChat } from '@/lib/storage/chats';
import { getFile, getFilesByIds, putFile, type StoredFileInfo } from '@/lib/storage/files';
import { chooseMessage, getChatTree } from '@/lib/storage/message-tree';
import { appendMessage, type StoredMessage, updateMessage } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

/** Settles a call into a comparable outcome: its value, or the error's status, code, param and message. */
async function outcome(call: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await call };
  } catch (error) {
    const { status, code, param, message } = error as {
      status?: number;
      code?: string;
      param?: string;
      message: string;
    };
    return { error: { status, code, param, message } };
  }
}

describe.each(backends)('two owners on $name', (backend) => {
  const handle = useDatabase(backend);
  const [alice, bob] = [owner('alice'), owner('bob')];
  let chat: Chat;
  let message: StoredMessage;
  let file: StoredFileInfo;

  beforeAll(async () => {
    file = (await putFile(handle.db, alice, { bytes: randomBytes(40), mediaType: 'image/jpeg', width: 4, height: 4 }))
      .file;
    chat = await createChat(handle.db, alice, { title: 'Alice private', model: 'gemini-3-flash-preview' });
    message = await appendMessage(handle.db, alice, chat.id, {
      role: 'user',
      parts: [
        { type: 'text', text: 'secret words' },
        { type: 'file', fileId: file.id, mediaType: 'image/jpeg' },
      ],
    });
    await createChat(handle.db, bob, { title: 'Bob own', model: 'gemini-3-flash-preview' });
  });

  /** Everything Alice has, to compare before and after Bob's attempts. */
  async function aliceState() {
    return {
      chat: await getChat(handle.db, alice, chat.id),
      list: await listChats(handle.db, alice),
      files: await getFilesByIds(handle.db, alice, [file.id]),
    };
  }

  it("treats every one of Alice's rows as missing for Bob, and changes nothing", async () => {
    const before = await aliceState();
    const missing = { chat: 'no-such-chat', message: 'no-such-message', file: 'no-such-file' };
    const attempts: [string, (ids: { chat: string; message: string; file: string }) => Promise<unknown>][] = [
      ['read', (ids) => getChat(handle.db, bob, ids.chat)],
      ['rename', (ids) => renameChat(handle.db, bob, ids.chat, 'Taken over')],
      ['update', (ids) => updateChat(handle.db, bob, ids.chat, { model: 'other', settings: { temperature: 2 } })],
      [
        'append',
        (ids) => appendMessage(handle.db, bob, ids.chat, { role: 'user', parts: [{ type: 'text', text: 'x' }] }),
      ],
      ['update message', (ids) => updateMessage(handle.db, bob, ids.message, { status: 'error', error: 'x' })],
      ['choose version', (ids) => chooseMessage(handle.db, bob, ids.chat, ids.message)],
      ['tree', (ids) => getChatTree(handle.db, bob, ids.chat)],
      [
        'append after',
        (ids) =>
          appendMessage(handle.db, bob, ids.chat, {
            parentId: ids.message,
            role: 'user',
            parts: [{ type: 'text', text: 'x' }],
          }),
      ],
      ['file fetch', (ids) => getFile(handle.db, bob, ids.file)],
      ['files fetch', async (ids) => [...(await getFilesByIds(handle.db, bob, [ids.file])).keys()]],
      ['delete', (ids) => deleteChat(handle.db, bob, ids.chat)],
    ];
    const foreignOutcomes: Record<string, unknown> = {};
    for (const [label, attempt] of attempts) {
      const foreign = await outcome(attempt({ chat: chat.id, message: message.id, file: file.id }));
      const absent = await outcome(attempt(missing));
      expect({ label, outcome: foreign }).toEqual({ label, outcome: absent });
      foreignOutcomes[label] = foreign;
    }
    expect(foreignOutcomes).toMatchObject({
      read: { value: null },
      rename: { value: null },
      append: { error: { status: 404, code: 'chat_not_found' } },
      'choose version': { value: false },
      tree: { value: null },
      'append after': { error: { status: 404, code: 'chat_not_found' } },
      'file fetch': { value: null },
      'files fetch': { value: [] },
      delete: { value: false },
    });
    expect(await aliceState()).toEqual(before);
  });

  it("keeps Alice's chats out of Bob's list and search", async () => {
    const bobs = await listChats(handle.db, bob);
    expect(bobs.chats.map((c) => c.title)).toEqual(['Bob own']);
    expect((await listChats(handle.db, bob, { query: 'secret' })).chats).toEqual([]);
    expect((await listChats(handle.db, bob, { query: 'Alice' })).chats).toEqual([]);
    expect((await listChats(handle.db, alice, { query: 'secret' })).chats.map((c) => c.id)).toEqual([chat.id]);
  });

  it("does not let Bob point a message at Alice's file", async () => {
    const own = await createChat(handle.db, bob, { model: 'gemini-3-flash-preview' });
    await expect(
      appendMessage(handle.db, bob, own.id, {
        role: 'user',
        parts: [{ type: 'file', fileId: file.id, mediaType: 'image/jpeg' }],
      }),
    ).rejects.toMatchObject({ status: 400, code: 'unknown_file' });
  });
});
