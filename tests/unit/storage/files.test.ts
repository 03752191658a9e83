import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { files } from '@/lib/db/schema';
import { createChat } from '@/lib/storage/chats';
import { deleteFile, deleteUnusedUploads, getFile, getFilesByIds, putFile } from '@/lib/storage/files';
import { appendMessage } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const image = (size = 64) => ({
  bytes: new Uint8Array(randomBytes(size)),
  mediaType: 'image/png',
  width: 3,
  height: 2,
});

describe.each(backends)('files on $name', (backend) => {
  const handle = useDatabase(backend);

  it('stores the bytes and their facts, and gives them back byte for byte', async () => {
    const alice = owner();
    const input = image(300_000);
    const { file, created } = await putFile(handle.db, alice, input);
    expect(created).toBe(true);
    expect(file).toMatchObject({ mediaType: 'image/png', byteSize: 300_000, width: 3, height: 2 });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.createdAt).toBeInstanceOf(Date);

    const stored = await getFile(handle.db, alice, file.id);
    expect(stored?.bytes.constructor).toBe(Uint8Array);
    expect(Buffer.from(stored?.bytes ?? []).equals(Buffer.from(input.bytes))).toBe(true);
    expect({ ...stored, bytes: undefined }).toEqual({ ...file, bytes: undefined });
  });

  it('dedupes the same bytes per owner, but never across owners', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const input = image();
    const first = await putFile(handle.db, alice, input);
    const again = await putFile(handle.db, alice, { ...input, bytes: new Uint8Array(input.bytes) });
    expect(again).toEqual({ file: { ...first.file, createdAt: again.file.createdAt }, created: false });
    // Uploaded again, it counts as new for the clean-up of unused uploads.
    expect(again.file.createdAt.getTime()).toBeGreaterThanOrEqual(first.file.createdAt.getTime());

    const bobs = await putFile(handle.db, bob, input);
    expect(bobs.created).toBe(true);
    expect(bobs.file.id).not.toBe(first.file.id);
    expect(bobs.file.sha256).toBe(first.file.sha256);
    expect(await getFile(handle.db, bob, first.file.id)).toBeNull();
    expect((await getFile(handle.db, bob, bobs.file.id))?.id).toBe(bobs.file.id);
  });

  it('fetches several files at once, leaving out unknown, foreign and malformed ids', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const a1 = (await putFile(handle.db, alice, image())).file;
    const a2 = (await putFile(handle.db, alice, image())).file;
    const b1 = (await putFile(handle.db, bob, image())).file;
    const found = await getFilesByIds(handle.db, alice, [
      a1.id,
      a2.id,
      a1.id,
      b1.id,
      'missing',
      "x'; drop table files",
    ]);
    expect([...found.keys()].sort()).toEqual([a1.id, a2.id].sort());
    expect(found.get(a2.id)?.bytes.byteLength).toBe(64);
    expect((await getFilesByIds(handle.db, alice, [])).size).toBe(0);
  });

  it('refuses empty bytes, bad media types and impossible sizes', async () => {
    const alice = owner();
    await expect(putFile(handle.db, alice, { ...image(), bytes: new Uint8Array() })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_file',
    });
    await expect(putFile(handle.db, alice, { ...image(), mediaType: 'png' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_media_type',
    });
    await expect(putFile(handle.db, alice, { ...image(), width: 0 })).rejects.toMatchObject({ param: 'width' });
    await expect(putFile(handle.db, alice, { ...image(), height: 1.5 })).rejects.toMatchObject({ param: 'height' });
  });

  async function usedIn(ownerId: string, fileId: string) {
    const chat = await createChat(handle.db, ownerId, { model: 'gemini-3-flash-preview' });
    await appendMessage(handle.db, ownerId, chat.id, {
      role: 'user',
      parts: [{ type: 'file', fileId, mediaType: 'image/png' }],
    });
    return chat;
  }

  async function age(ownerId: string, fileId: string, days: number) {
    await handle.db
      .update(files)
      .set({ createdAt: sql`now() - make_interval(days => ${days})` })
      .where(and(eq(files.ownerId, ownerId), eq(files.id, fileId)));
  }

  it('deletes an upload no message uses, only for its owner, and keeps one a message shows (in_use)', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const unused = (await putFile(handle.db, alice, image())).file;
    const shown = (await putFile(handle.db, alice, image())).file;
    await usedIn(alice, shown.id);

    expect(await deleteFile(handle.db, bob, unused.id)).toBe('not_found');
    expect(await getFile(handle.db, alice, unused.id)).not.toBeNull();
    expect(await deleteFile(handle.db, alice, unused.id)).toBe('deleted');
    expect(await getFile(handle.db, alice, unused.id)).toBeNull();
    expect(await deleteFile(handle.db, alice, unused.id)).toBe('not_found');

    expect(await deleteFile(handle.db, alice, shown.id)).toBe('in_use');
    expect(await getFile(handle.db, alice, shown.id)).not.toBeNull();
    expect(await deleteFile(handle.db, alice, '%ff')).toBe('not_found');
  });

  it('cleans up uploads unused for the given days, across owners, and keeps used and recent ones', async () => {
    const [alice, bob] = [owner('alice'), owner('bob')];
    const oldUnused = (await putFile(handle.db, alice, image())).file;
    const bobsOldUnused = (await putFile(handle.db, bob, image())).file;
    const oldUsed = (await putFile(handle.db, alice, image())).file;
    const recent = (await putFile(handle.db, alice, image())).file;
    await usedIn(alice, oldUsed.id);
    for (const [who, file] of [
      [alice, oldUnused],
      [bob, bobsOldUnused],
      [alice, oldUsed],
    ] as const)
      await age(who, file.id, 8);
    await age(alice, recent.id, 6);

    expect(await deleteUnusedUploads(handle.db, 7)).toBeGreaterThanOrEqual(2);
    expect(await getFile(handle.db, alice, oldUnused.id)).toBeNull();
    expect(await getFile(handle.db, bob, bobsOldUnused.id)).toBeNull();
    expect(await getFile(handle.db, alice, oldUsed.id)).not.toBeNull();
    expect(await getFile(handle.db, alice, recent.id)).not.toBeNull();
  });

  it('restarts an unused upload’s clock when the same image is uploaded again', async () => {
    const alice = owner();
    const input = image();
    const first = (await putFile(handle.db, alice, input)).file;
    await age(alice, first.id, 8);
    const again = await putFile(handle.db, alice, input);
    expect(again).toMatchObject({ created: false, file: { id: first.id } });
    await deleteUnusedUploads(handle.db, 7);
    expect(await getFile(handle.db, alice, first.id)).not.toBeNull();
  });
});
