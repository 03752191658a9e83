import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messageFiles, messages } from '@/lib/db/schema';
import { createChat, deleteChat, getChat } from '@/lib/storage/chats';
import { getFile, putFile } from '@/lib/storage/files';
import { appendMessage, type StoredPart, updateMessage } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const MODEL = 'gemini-3-flash-preview';
const text = (value: string): StoredPart => ({ type: 'text', text: value });
const image = () => ({ bytes: new Uint8Array(randomBytes(32)), mediaType: 'image/png', width: 1, height: 1 });

describe.each(backends)('messages on $name', (backend) => {
  const handle = useDatabase(backend);

  async function newChat(ownerId: string) {
    return createChat(handle.db, ownerId, { model: MODEL });
  }

  it('appends in order and gives the messages back in that order, with everything saved', async () => {
    const alice = owner();
    const chat = await newChat(alice);
    const file = (await putFile(handle.db, alice, image())).file;
    const first = await appendMessage(handle.db, alice, chat.id, {
      id: 'user-1',
      role: 'user',
      parts: [text('What is this?'), { type: 'file', fileId: file.id, mediaType: 'image/png' }],
    });
    expect(first).toMatchObject({ id: 'user-1', chatId: chat.id, status: 'complete', finishReason: null, usage: null });
    const second = await appendMessage(handle.db, alice, chat.id, {
      role: 'assistant',
      parts: [{ type: 'reasoning', text: 'Looking.' }, text('A cat.')],
      status: 'stopped',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 3, reasoningTokens: undefined },
      error: null,
    });
    expect(second.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    const third = await appendMessage(handle.db, alice, chat.id, {
      role: 'assistant',
      parts: [],
      status: 'error',
      error: `Upstream failed: ${'x'.repeat(10_000)}`,
    });
    expect(third.error?.length).toBe(4_000);

    const stored = await getChat(handle.db, alice, chat.id);
    expect(stored?.messages.map((m) => m.id)).toEqual(['user-1', second.id, third.id]);
    expect(stored?.messages).toEqual([first, second, third]);
    const rows = await handle.db
      .select({ position: messages.position, text: messages.text })
      .from(messages)
      .where(and(eq(messages.ownerId, alice), eq(messages.chatId, chat.id)))
      .orderBy(messages.position);
    expect(rows).toEqual([
      { position: 0, text: 'What is this?' },
      { position: 1, text: 'A cat.' },
      { position: 2, text: '' },
    ]);
  });

  it('keeps positions distinct when appends race', async () => {
    const alice = owner();
    const chat = await newChat(alice);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        appendMessage(handle.db, alice, chat.id, { id: `m${i}`, role: 'user', parts: [text(String(i))] }),
      ),
    );
    const rows = await handle.db
      .select({ position: messages.position })
      .from(messages)
      .where(and(eq(messages.ownerId, alice), eq(messages.chatId, chat.id)));
    expect(rows.map((r) => r.position).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it.each([
    [
      'a file part with a data URL',
      { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw0KGgo=' },
    ],
    [
      'a file part with a URL next to its id',
      { type: 'file', fileId: 'f1', mediaType: 'image/png', url: '/api/files/f1' },
    ],
    ['a file part with base64 data', { type: 'file', fileId: 'f1', mediaType: 'image/png', data: 'iVBORw0KGgo=' }],
    ['a file part with bytes', { type: 'file', fileId: 'f1', mediaType: 'image/png', bytes: [137, 80, 78, 71] }],
    ['a model-message image part', { type: 'image', image: 'iVBORw0KGgo=', mediaType: 'image/png' }],
  ])('refuses %s as inline image data', async (_label, part) => {
    const alice = owner();
    const chat = await newChat(alice);
    const attempt = appendMessage(handle.db, alice, chat.id, { role: 'user', parts: [text('look'), part as never] });
    await expect(attempt).rejects.toMatchObject({ status: 400, code: 'inline_file_data', param: 'parts[1]' });
    await expect(attempt).rejects.toThrow(/never bytes, base64 or URLs/);
    expect((await getChat(handle.db, alice, chat.id))?.messages).toEqual([]);
  });

  it.each([
    ['an unknown part type', { type: 'tool-weather', input: {} }, 'parts[0].type'],
    ['a text part without text', { type: 'text' }, 'parts[0].text'],
    ['a file part without an id', { type: 'file', mediaType: 'image/png' }, 'parts[0].fileId'],
    ['a part with extra keys', { type: 'text', text: 'hi', providerMetadata: {} }, 'providerMetadata'],
    ['a file part with a bad media type', { type: 'file', fileId: 'f1', mediaType: 'png' }, 'parts[0].mediaType'],
  ])('refuses %s', async (_label, part, mentioned) => {
    const alice = owner();
    const chat = await newChat(alice);
    const attempt = appendMessage(handle.db, alice, chat.id, { role: 'user', parts: [part as never] });
    await expect(attempt).rejects.toMatchObject({ status: 400, code: 'invalid_parts', param: 'parts[0]' });
    await expect(attempt).rejects.toThrow(mentioned);
  });

  it('refuses bad roles, statuses, usage and ids', async () => {
    const alice = owner();
    const chat = await newChat(alice);
    const ok = { role: 'user' as const, parts: [text('x')] };
    await expect(appendMessage(handle.db, alice, chat.id, { ...ok, role: 'system' as never })).rejects.toMatchObject({
      code: 'invalid_role',
    });
    await expect(appendMessage(handle.db, alice, chat.id, { ...ok, status: 'done' as never })).rejects.toMatchObject({
      code: 'invalid_status',
    });
    await expect(
      appendMessage(handle.db, alice, chat.id, { ...ok, usage: { inputTokens: 'many' } as never }),
    ).rejects.toMatchObject({ code: 'invalid_usage' });
    await expect(appendMessage(handle.db, alice, chat.id, { ...ok, id: 'a/b' })).rejects.toMatchObject({
      code: 'invalid_id',
    });
    await appendMessage(handle.db, alice, chat.id, { ...ok, id: 'once' });
    await expect(appendMessage(handle.db, alice, chat.id, { ...ok, id: 'once' })).rejects.toMatchObject({
      status: 409,
      code: 'message_exists',
    });
    await expect(appendMessage(handle.db, alice, 'no-such-chat', ok)).rejects.toMatchObject({
      status: 404,
      code: 'chat_not_found',
    });
  });

  it('refuses references to files that do not exist or are not the owner’s, naming the file', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const chat = await newChat(alice);
    const bobsFile = (await putFile(handle.db, bob, image())).file;
    const alicesFile = (await putFile(handle.db, alice, image())).file;
    for (const fileId of ['does-not-exist', bobsFile.id]) {
      const attempt = appendMessage(handle.db, alice, chat.id, {
        role: 'user',
        parts: [
          { type: 'file', fileId: alicesFile.id, mediaType: 'image/png' },
          { type: 'file', fileId, mediaType: 'image/png' },
        ],
      });
      await expect(attempt).rejects.toMatchObject({ status: 400, code: 'unknown_file', param: 'parts[1].fileId' });
      await expect(attempt).rejects.toThrow(fileId);
    }
    expect((await getChat(handle.db, alice, chat.id))?.messages).toEqual([]);
  });

  it('updates a message in place, relinking its files', async () => {
    const alice = owner();
    const chat = await newChat(alice);
    const [f1, f2] = [(await putFile(handle.db, alice, image())).file, (await putFile(handle.db, alice, image())).file];
    const message = await appendMessage(handle.db, alice, chat.id, {
      role: 'assistant',
      parts: [{ type: 'file', fileId: f1.id, mediaType: 'image/png' }],
      status: 'stopped',
    });
    const updated = await updateMessage(handle.db, alice, message.id, {
      parts: [text('done'), { type: 'file', fileId: f2.id, mediaType: 'image/png' }],
      status: 'complete',
      finishReason: 'stop',
      usage: { outputTokens: 9 },
      notice: 'gemini-3-flash-preview is retired; answering with gemini-3.8-flash',
      model: 'gemini-3.8-flash',
    });
    expect(updated).toMatchObject({
      model: 'gemini-3.8-flash',
      id: message.id,
      status: 'complete',
      finishReason: 'stop',
      usage: { outputTokens: 9 },
      notice: 'gemini-3-flash-preview is retired; answering with gemini-3.8-flash',
    });
    expect(message.notice).toBeNull();
    await expect(updateMessage(handle.db, alice, message.id, { notice: 'x'.repeat(501) })).rejects.toMatchObject({
      code: 'invalid_notice',
    });
    const links = await handle.db
      .select({ fileId: messageFiles.fileId })
      .from(messageFiles)
      .where(and(eq(messageFiles.ownerId, alice), eq(messageFiles.messageId, message.id)));
    expect(links).toEqual([{ fileId: f2.id }]);
    expect(await updateMessage(handle.db, alice, message.id, {})).toEqual(updated);
    expect(await updateMessage(handle.db, alice, 'no-such-message', { status: 'error' })).toBeNull();
    await expect(
      updateMessage(handle.db, alice, message.id, {
        parts: [{ type: 'file', fileId: 'nope', mediaType: 'image/png' }],
      }),
    ).rejects.toMatchObject({ code: 'unknown_file' });
  });

  it('deleting a chat removes its messages and the files only it used', async () => {
    const alice = owner();
    const [doomed, kept] = [await newChat(alice), await newChat(alice)];
    const onlyDoomed = (await putFile(handle.db, alice, image())).file;
    const shared = (await putFile(handle.db, alice, image())).file;
    const unsent = (await putFile(handle.db, alice, image())).file;
    const ref = (fileId: string): StoredPart => ({ type: 'file', fileId, mediaType: 'image/png' });
    await appendMessage(handle.db, alice, doomed.id, { role: 'user', parts: [ref(onlyDoomed.id), ref(shared.id)] });
    await appendMessage(handle.db, alice, doomed.id, { role: 'user', parts: [ref(onlyDoomed.id)] });
    await appendMessage(handle.db, alice, kept.id, { role: 'user', parts: [ref(shared.id)] });

    expect(await deleteChat(handle.db, alice, doomed.id)).toBe(true);
    expect(await getChat(handle.db, alice, doomed.id)).toBeNull();
    const left = await handle.db.select({ id: messages.id }).from(messages).where(eq(messages.chatId, doomed.id));
    expect(left).toEqual([]);
    expect(await getFile(handle.db, alice, onlyDoomed.id)).toBeNull();
    expect(await getFile(handle.db, alice, shared.id)).not.toBeNull();
    expect(await getFile(handle.db, alice, unsent.id)).not.toBeNull();
    expect(await deleteChat(handle.db, alice, doomed.id)).toBe(false);

    // The shared file goes with the last chat that used it.
    expect(await deleteChat(handle.db, alice, kept.id)).toBe(true);
    expect(await getFile(handle.db, alice, shared.id)).toBeNull();
    expect(await getFile(handle.db, alice, unsent.id)).not.toBeNull();
  });
});
