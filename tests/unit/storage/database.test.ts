import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeDb, type Db, databaseOptions, getDb, MIGRATIONS_FOLDER } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
import { ApiError } from '@/lib/errors';
import { createChat, getChat, listChats } from '@/lib/storage/chats';
import { getFile, putFile } from '@/lib/storage/files';
import { appendMessage } from '@/lib/storage/messages';
import { backends, owner, seedPgliteDataDir, type TestDatabase } from '@/tests/support/databases';

const MIGRATION_TAGS = (await readdir(MIGRATIONS_FOLDER))
  .filter((name) => name.endsWith('.sql'))
  .map((name) => name.replace(/\.sql$/, ''))
  .sort();

/** Raw query rows: postgres.js returns them as the result, PGlite under `rows`. */
async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function tableNames(db: Db): Promise<string[]> {
  const tables = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return tables.map((row) => row.table_name);
}

async function appliedCount(db: Db): Promise<number> {
  return (await rows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]?.n ?? 0;
}

describe.each(backends)('database on $name', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('builds the schema from an empty database, and running the migrations again applies nothing', async () => {
    database = await backend.create({ inMemory: true });
    const opened = await database.open();
    try {
      expect(opened.kind).toBe(backend.name);
      expect(opened.migrations.applied).toEqual(MIGRATION_TAGS);
      expect(await tableNames(opened.db)).toEqual([
        'chats',
        'files',
        'message_files',
        'messages',
        'responses',
        'server_secrets',
        'sessions',
      ]);
      expect(await applyMigrations(opened.db, MIGRATIONS_FOLDER)).toEqual({ applied: [] });
      expect(await appliedCount(opened.db)).toBe(MIGRATION_TAGS.length);
    } finally {
      await opened.close();
    }
  }, 30_000);

  it('finds chats, messages and images again after the database is closed and reopened', async () => {
    database = await backend.create();
    const alice = owner();
    const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    const first = await database.open();
    let chatId: string;
    let fileId: string;
    try {
      fileId = (await putFile(first.db, alice, { bytes, mediaType: 'image/png', width: 9, height: 7 })).file.id;
      const chat = await createChat(first.db, alice, {
        title: 'Before restart',
        model: 'gemini-3-flash-preview',
        settings: { systemPrompt: 'Stay.' },
      });
      chatId = chat.id;
      await appendMessage(first.db, alice, chat.id, {
        role: 'user',
        parts: [
          { type: 'text', text: 'remember me' },
          { type: 'file', fileId, mediaType: 'image/png' },
        ],
      });
      await appendMessage(first.db, alice, chat.id, {
        role: 'assistant',
        parts: [{ type: 'text', text: 'I will.' }],
        status: 'stopped',
      });
    } finally {
      await first.close();
    }

    const second = await database.open();
    try {
      expect(second.migrations.applied).toEqual([]);
      expect(await appliedCount(second.db)).toBe(MIGRATION_TAGS.length);
      const chat = await getChat(second.db, alice, chatId);
      expect(chat).toMatchObject({ title: 'Before restart', settings: { systemPrompt: 'Stay.' } });
      expect(chat?.messages.map((m) => [m.role, m.status, m.parts])).toEqual([
        [
          'user',
          'complete',
          [
            { type: 'text', text: 'remember me' },
            { type: 'file', fileId, mediaType: 'image/png' },
          ],
        ],
        ['assistant', 'stopped', [{ type: 'text', text: 'I will.' }]],
      ]);
      expect([...((await getFile(second.db, alice, fileId))?.bytes ?? [])]).toEqual([...bytes]);
      expect((await listChats(second.db, alice, { query: 'remember' })).chats.map((c) => c.id)).toEqual([chatId]);
    } finally {
      await second.close();
    }
  }, 30_000);
});

// Only a server can be opened by several instances at once (a PGlite folder belongs to one process).
describe.each(backends.filter((b) => b.name === 'postgres'))('database on $name, several instances', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('lets instances that start together migrate one after the other', async () => {
    database = await backend.create();
    const opened = await Promise.all([database.open(), database.open(), database.open()]);
    try {
      const applied = opened.map((o) => o.migrations.applied);
      // Exactly one instance did the work; the others waited on the lock and found nothing to do.
      expect(applied.filter((tags) => tags.length > 0)).toEqual([MIGRATION_TAGS]);
    } finally {
      await Promise.all(opened.map((o) => o.close()));
    }
  }, 30_000);
});

describe('database configuration', () => {
  it('uses DATABASE_URL when set, else the data folder', () => {
    expect(databaseOptions({ url: 'postgres://x/y', dataDir: './data', onVercel: true })).toEqual({
      url: 'postgres://x/y',
    });
    expect(databaseOptions({ url: undefined, dataDir: '/srv/iris', onVercel: false })).toEqual({
      dataDir: '/srv/iris',
    });
  });

  it('refuses the embedded database on Vercel with a 503 that says what to set', () => {
    const attempt = () => databaseOptions({ url: undefined, dataDir: './data', onVercel: true });
    expect(attempt).toThrow(ApiError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ status: 503, code: 'database_not_configured' });
      expect((error as Error).message).toMatch(/set DATABASE_URL/);
    }
  });

  it('getDb opens the configured database once per process', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'iris-getdb-'));
    await seedPgliteDataDir(dataDir);
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('IRIS_DATA_DIR', dataDir);
    vi.stubEnv('VERCEL', '');
    try {
      const [a, b] = await Promise.all([getDb(), getDb()]);
      expect(a).toBe(b);
      expect(await getDb()).toBe(a);
      expect(await tableNames(a)).toContain('chats');
    } finally {
      await closeDb();
      vi.unstubAllEnvs();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
