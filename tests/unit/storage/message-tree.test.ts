import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
import { createChat, getChat } from '@/lib/storage/chats';
import { chooseMessage, currentBranch, getChatTree, type TreeNode, versionsOf } from '@/lib/storage/message-tree';
import { appendMessage, type StoredPart } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const MODEL = 'gemini-3-flash-preview';
const text = (value: string): StoredPart => ({ type: 'text', text: value });

describe.each(backends)('the message tree on $name', (backend) => {
  const handle = useDatabase(backend);

  async function say(ownerId: string, chatId: string, id: string, parentId?: string | null) {
    const role = id.startsWith('u') ? 'user' : 'assistant';
    return appendMessage(handle.db, ownerId, chatId, { id, role, parts: [text(id)], parentId });
  }
  const branchOf = async (ownerId: string, chatId: string) =>
    (await getChat(handle.db, ownerId, chatId))?.messages.map((m) => m.id);

  it('keeps a regenerated answer and an edited question beside the old ones, and shows the newest', async () => {
    const alice = owner();
    const chat = await createChat(handle.db, alice, { model: MODEL });
    for (const id of ['u1', 'a1', 'u2', 'a2']) await say(alice, chat.id, id);
    // Regenerating a2: a sibling answer to u2.
    await say(alice, chat.id, 'a2b', 'u2');
    expect(await branchOf(alice, chat.id)).toEqual(['u1', 'a1', 'u2', 'a2b']);
    // Editing the first question: a new first message; the old turns stay as the other version.
    await say(alice, chat.id, 'u1b', null);
    await say(alice, chat.id, 'a1b');
    const stored = await getChat(handle.db, alice, chat.id);
    expect(stored?.messages.map((m) => m.id)).toEqual(['u1b', 'a1b']);
    expect(stored?.messages[0]?.parentId).toBeNull();
    expect(stored?.messages[1]?.parentId).toBe('u1b');
    expect(stored?.versions).toEqual({ u1b: ['u1', 'u1b'], a1b: ['a1b'] });

    const tree = await getChatTree(handle.db, alice, chat.id);
    expect(tree?.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2', 'a2b', 'u1b', 'a1b']);
    expect(tree?.branch).toEqual(['u1b', 'a1b']);
  });

  it('switches versions, the branch below following what was chosen there, and keeps the choice', async () => {
    const alice = owner();
    const chat = await createChat(handle.db, alice, { model: MODEL });
    for (const id of ['u1', 'a1', 'u2', 'a2']) await say(alice, chat.id, id);
    await say(alice, chat.id, 'a2b', 'u2');
    await say(alice, chat.id, 'u1b', null);
    await say(alice, chat.id, 'a1b');

    // Back to the first version of the first question: below it, the answer chosen last there (a2b).
    expect(await chooseMessage(handle.db, alice, chat.id, 'u1')).toBe(true);
    expect(await branchOf(alice, chat.id)).toEqual(['u1', 'a1', 'u2', 'a2b']);
    expect((await getChat(handle.db, alice, chat.id))?.versions).toMatchObject({
      u1: ['u1', 'u1b'],
      a2b: ['a2', 'a2b'],
    });
    // Choosing a message deep in another branch brings its ancestors along.
    expect(await chooseMessage(handle.db, alice, chat.id, 'a2')).toBe(true);
    expect(await branchOf(alice, chat.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(await chooseMessage(handle.db, alice, chat.id, 'a1b')).toBe(true);
    expect(await branchOf(alice, chat.id)).toEqual(['u1b', 'a1b']);
    expect(await chooseMessage(handle.db, alice, chat.id, 'u1')).toBe(true);
    expect(await branchOf(alice, chat.id)).toEqual(['u1', 'a1', 'u2', 'a2']);

    // A new message goes at the end of the current branch.
    await say(alice, chat.id, 'u3');
    expect(await branchOf(alice, chat.id)).toEqual(['u1', 'a1', 'u2', 'a2', 'u3']);
    expect(await chooseMessage(handle.db, alice, chat.id, 'nope')).toBe(false);
  });

  it('refuses a parent from another chat, naming parentId', async () => {
    const alice = owner();
    const [one, two] = [
      await createChat(handle.db, alice, { model: MODEL }),
      await createChat(handle.db, alice, { model: MODEL }),
    ];
    await say(alice, one.id, 'u1');
    await expect(say(alice, two.id, 'u2', 'u1')).rejects.toMatchObject({
      status: 404,
      code: 'message_not_found',
      param: 'parentId',
    });
    expect(await chooseMessage(handle.db, alice, two.id, 'u1')).toBe(false);
  });
});

describe('the pure tree walk', () => {
  const node = (id: string, parentId: string | null, position: number, chosen = position): TreeNode => ({
    id,
    parentId,
    position,
    chosen,
  });

  it('takes the most recently chosen child at each step and numbers versions by writing order', () => {
    const nodes = [node('u1', null, 0), node('a1', 'u1', 1, 9), node('a1b', 'u1', 2, 3), node('u2', 'a1b', 3)];
    expect(currentBranch(nodes).map((n) => n.id)).toEqual(['u1', 'a1']);
    expect(currentBranch(nodes, 'a1b').map((n) => n.id)).toEqual(['u1', 'a1b', 'u2']);
    expect(versionsOf(nodes, ['a1b', 'u1', 'gone'])).toEqual({ a1b: ['a1', 'a1b'], u1: ['u1'], gone: [] });
    expect(currentBranch([])).toEqual([]);
  });
});

describe('migrating chats written before versions', () => {
  it('turns positional history into one chain, in order, with the last message current', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'iris-migrations-'));
    const client = await PGlite.create({ extensions: { pg_trgm } });
    try {
      await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalPath = path.join(folder, 'meta/_journal.json');
      const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
      const before = journal.entries.findIndex((entry) => entry.tag.endsWith('_message_tree'));
      expect(before).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, before);
      await writeFile(journalPath, JSON.stringify(journal));
      const db = drizzle({ client });
      await applyMigrations(db, folder);

      await db.execute(sql`insert into chats (owner_id, id, title, model) values ('o', 'old', 'Old chat', ${MODEL})`);
      for (const [position, id] of ['u1', 'a1', 'u2', 'a2'].entries()) {
        const role = id.startsWith('u') ? 'user' : 'assistant';
        await db.execute(sql`
          insert into messages (owner_id, id, chat_id, position, role, parts, text)
          values ('o', ${id}, 'old', ${position}, ${role}, ${JSON.stringify([text(id)])}::jsonb, ${id})`);
      }
      expect((await applyMigrations(db, MIGRATIONS_FOLDER)).applied.some((tag) => tag.endsWith('_message_tree'))).toBe(
        true,
      );

      const migrated = await getChat(db as never, 'o', 'old');
      expect(migrated?.messages.map((m) => [m.id, m.parentId])).toEqual([
        ['u1', null],
        ['a1', 'u1'],
        ['u2', 'a1'],
        ['a2', 'u2'],
      ]);
      // The old chat goes on where it was.
      await appendMessage(db as never, 'o', 'old', { id: 'u3', role: 'user', parts: [text('more')] });
      expect((await getChat(db as never, 'o', 'old'))?.messages.map((m) => m.id)).toEqual([
        'u1',
        'a1',
        'u2',
        'a2',
        'u3',
      ]);
    } finally {
      await client.close();
      await rm(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
