import { describe, expect, it } from 'vitest';
import { snapshotOf } from '@/lib/share/snapshot';
import { createChat, deleteChat, getChat } from '@/lib/storage/chats';
import { appendMessage } from '@/lib/storage/messages';
import { deleteShare, getShare, getShareOfChat, putShare } from '@/lib/storage/shares';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const MODEL = 'gemini-3-flash-preview';

describe.each(backends)('shares on $name', (backend) => {
  const handle = useDatabase(backend);

  async function sharedChat(ownerId: string) {
    const chat = await createChat(handle.db, ownerId, { title: 'Tide pools', model: MODEL });
    await appendMessage(handle.db, ownerId, chat.id, {
      role: 'user',
      parts: [{ type: 'text', text: 'What lives here?' }],
    });
    const stored = await getChat(handle.db, ownerId, chat.id);
    if (!stored) throw new Error('no chat');
    return { chat, content: snapshotOf(stored, stored.messages) };
  }

  it('keeps one unguessable link per chat: sharing again refreshes the snapshot under the same id', async () => {
    const alice = owner();
    const { chat, content } = await sharedChat(alice);
    const first = await putShare(handle.db, alice, chat.id, content);
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await getShare(handle.db, first.id))?.snapshot.messages).toHaveLength(1);

    await appendMessage(handle.db, alice, chat.id, { role: 'assistant', parts: [{ type: 'text', text: 'Crabs.' }] });
    const stored = await getChat(handle.db, alice, chat.id);
    const again = await putShare(handle.db, alice, chat.id, snapshotOf(stored ?? chat, stored?.messages ?? []));
    expect(again.id).toBe(first.id);
    expect((await getShare(handle.db, first.id))?.snapshot.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect((await getShareOfChat(handle.db, alice, chat.id))?.id).toBe(first.id);
  });

  it('revokes for the owner only, and goes with its chat', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const { chat, content } = await sharedChat(alice);
    const share = await putShare(handle.db, alice, chat.id, content);
    expect(await getShareOfChat(handle.db, bob, chat.id)).toBeNull();
    expect(await deleteShare(handle.db, bob, chat.id)).toBe(false);
    expect(await getShare(handle.db, share.id)).not.toBeNull();
    expect(await deleteShare(handle.db, alice, chat.id)).toBe(true);
    expect(await getShare(handle.db, share.id)).toBeNull();

    const kept = await putShare(handle.db, alice, chat.id, content);
    expect(kept.id).not.toBe(share.id);
    expect(await deleteChat(handle.db, alice, chat.id)).toBe(true);
    expect(await getShare(handle.db, kept.id)).toBeNull();
    expect(await getShare(handle.db, 'not a share id')).toBeNull();
  });
});
