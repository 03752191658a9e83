import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '@/lib/db/client';
import { DatabaseTimeoutError, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { createChat, listChats } from '@/lib/storage/chats';
import { type CuttableProxy, startCuttableProxy } from '@/tests/support/cuttable-proxy';
import { backends, createPostgresDatabase, owner } from '@/tests/support/databases';

/**
 * The Postgres pool behind a connection that can be cut or slowed (tests/support/cuttable-proxy.ts): an outage
 * fails fast and is recognised as one, a slow database is bounded by the deadline, and the same pool recovers.
 */

const TIMEOUT_MS = 400;
const postgresOnly = backends.filter((backend) => backend.name === 'postgres');

describe.each(postgresOnly)('Postgres through a cuttable connection ($name)', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: CuttableProxy;
  let opened: OpenedDatabase;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const target = new URL(database.url);
    proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const through = new URL(database.url);
    through.host = `${proxy.host}:${proxy.port}`;
    opened = await openDatabase({ url: through.href, timeoutMs: TIMEOUT_MS });
  }, 30_000);

  afterAll(async () => {
    await opened?.close();
    await proxy?.close();
    await database?.destroy();
  });

  const elapsed = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    const outcome = await work().then(
      () => undefined,
      (error: unknown) => error,
    );
    return { error: outcome, ms: performance.now() - started };
  };

  it('fails fast while cut, as an outage, and the same pool recovers once restored', async () => {
    const alice = owner();
    await createChat(opened.db, alice, { model: 'gemini-3-flash-preview' });
    proxy.cut();
    const during = await elapsed(() => listChats(opened.db, alice, {}));
    expect(isDatabaseUnavailable(during.error)).toBe(true);
    expect(during.ms).toBeLessThan(TIMEOUT_MS + 1_000);
    proxy.restore();
    const after = await listChats(opened.db, alice, {});
    expect(after.chats).toHaveLength(1);
  });

  it('bounds queries and transactions on a slow database by the deadline', async () => {
    const alice = owner();
    proxy.setLatency(1_500);
    try {
      const query = await elapsed(() => opened.db.execute(sql`select 1`));
      // Drizzle wraps the driver's error; the cause is Iris's own deadline.
      expect((query.error as Error).cause).toBeInstanceOf(DatabaseTimeoutError);
      expect(isDatabaseUnavailable(query.error)).toBe(true);
      expect(query.ms).toBeLessThan(TIMEOUT_MS + 600);
      const transaction = await elapsed(() => createChat(opened.db, alice, { model: 'gemini-3-flash-preview' }));
      expect(isDatabaseUnavailable(transaction.error)).toBe(true);
      expect(transaction.ms).toBeLessThan(TIMEOUT_MS + 600);
    } finally {
      proxy.setLatency(0);
    }
    // Whatever was still in flight on the slow connections settles; the pool then answers again.
    await expect
      .poll(async () => (await opened.db.execute(sql`select 1 as one`).catch(() => null)) !== null, {
        timeout: 8_000,
        interval: 200,
      })
      .toBe(true);
  });
});
