import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/client';
import { messages } from '@/lib/db/schema';
import { ownerIdForKey } from '@/lib/owner';
import { createChat } from '@/lib/storage/chats';
import { appendMessage } from '@/lib/storage/messages';
import { type FakeGemini, startFakeGemini } from '../fake-gemini/server.ts';
import { type CuttableProxy, startCuttableProxy } from '../support/cuttable-proxy.ts';
import { createPostgresDatabase, seedPgliteDataDir } from '../support/databases.ts';
import { parseSse } from '../support/iris.ts';
import { type IrisProcess, startIris } from '../support/server-process.ts';

/**
 * Faults an operator meets, on a real `next start` whose Postgres sits behind a cuttable TCP proxy
 * (tests/support/cuttable-proxy.ts): outages mid-answer and between requests, a slow database, SIGTERM mid-answer,
 * and a restart that finds answers a stopped server left `streaming`. Short timeouts keep it quick.
 */

const KEY = 'faults-gateway-key';
const GEMINI_KEY = 'faults-gemini-key';
const OWNER = ownerIdForKey(KEY);
const DATABASE_TIMEOUT_MS = 1_000;
const SHUTDOWN_GRACE_MS = 3_000;

let fake: FakeGemini;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let proxy: CuttableProxy;
let iris: IrisProcess;

const env = () => {
  const through = new URL(database.url);
  through.host = `${proxy.host}:${proxy.port}`;
  return {
    API_KEYS: KEY,
    GOOGLE_GENERATIVE_AI_API_KEY: GEMINI_KEY,
    GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
    DATABASE_URL: through.href,
    DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS),
    SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
    UPSTREAM_TIMEOUT_MS: '20000',
  };
};

beforeAll(async () => {
  fake = await startFakeGemini({ apiKeys: [GEMINI_KEY] });
  database = await createPostgresDatabase();
  const target = new URL(database.url);
  proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  iris = await startIris(env());
  await storageReady(iris);
}, 90_000);

/** Up, with its database opened and migrated (requests before that answer 503 database_unavailable). */
async function storageReady(server: IrisProcess) {
  await server.ready(60_000);
  const deadline = Date.now() + 30_000;
  const status = () =>
    fetch(`${server.url}/api/chats`, { headers, signal: AbortSignal.timeout(20_000) }).then(
      (response) => response.status,
      () => 0,
    );
  while ((await status()) !== 200) {
    if (Date.now() > deadline) throw new Error(`storage did not open:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

afterAll(async () => {
  await iris?.stop();
  await proxy?.close();
  await fake?.close();
  await database?.destroy();
});

const id = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const geminiCallsFor = (tag: string) => fake.requests.filter((r) => r.tag === tag).length;

function sendChat(chatId: string, text: string, signal?: AbortSignal) {
  return fetch(`${iris.url}/api/chat`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: chatId, message: { id: id('m'), role: 'user', parts: [{ type: 'text', text }] } }),
    signal,
  });
}

async function getChat(chatId: string) {
  const response = await fetch(`${iris.url}/api/chats/${chatId}`, { headers });
  return {
    response,
    body: response.ok
      ? ((await response.json()) as {
          messages: { role: string; parts: { text?: string }[]; metadata?: { status?: string } }[];
        })
      : undefined,
  };
}

const answerOf = (body: Awaited<ReturnType<typeof getChat>>['body']) =>
  body?.messages.findLast((m) => m.role === 'assistant');
const textOf = (message: ReturnType<typeof answerOf>) => message?.parts.map((p) => p.text ?? '').join('') ?? '';

/** Reads a UI message stream chunk by chunk, calling `onFirstDelta` once the first text delta arrives. */
async function readStream(response: Response, onFirstDelta: () => void = () => {}) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  let raw = '';
  let fired = false;
  let broken = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      raw += new TextDecoder().decode(value);
      if (!fired && raw.includes('"text-delta"')) {
        fired = true;
        onFirstDelta();
      }
    }
  } catch {
    broken = true;
  }
  const events = parseSse(raw.slice(0, raw.lastIndexOf('\n\n') + 2));
  const chunks = events
    .filter((e) => e.data !== undefined && e.data !== '[DONE]')
    .map(
      (e) => JSON.parse(e.data as string) as { type: string; delta?: string; messageMetadata?: { status?: string } },
    );
  const text = chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');
  return { chunks, text, ended: !broken && events.at(-1)?.data === '[DONE]' };
}

async function expectUnavailable(response: Response) {
  expect(response.status, iris.output().slice(-4000)).toBe(503);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await response.json()) as { error: { code: string; message: string; type: string } };
  expect(body.error).toMatchObject({ code: 'database_unavailable', type: 'server_error' });
  expect(body.error.message).toMatch(/Storage is unreachable/);
}

describe('a database outage', () => {
  it('answers 503 database_unavailable with Retry-After where storage is needed, and recovers without a restart', async () => {
    const chatId = id('c');
    expect((await getChat(chatId)).response.status).toBe(404);
    proxy.cut();
    try {
      await expectUnavailable(await fetch(`${iris.url}/api/chats`, { headers }));
      // The question is neither saved nor sent to Gemini.
      const chatTag = id('t');
      await expectUnavailable(await sendChat(chatId, `hello [tag:${chatTag}]`));
      expect(geminiCallsFor(chatTag)).toBe(0);
      // A stored Response is refused before Gemini is called (and billed).
      const storedTag = id('t');
      await expectUnavailable(
        await fetch(`${iris.url}/v1/responses`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ model: 'gemini-3-flash-preview', input: `hi [tag:${storedTag}]` }),
        }),
      );
      expect(geminiCallsFor(storedTag)).toBe(0);

      // What does not need the database keeps working.
      const completion = await fetch(`${iris.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(completion.status).toBe(200);
      const unstored = await fetch(`${iris.url}/v1/responses`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'gemini-3-flash-preview', input: 'hi', store: false }),
      });
      expect(unstored.status).toBe(200);
    } finally {
      proxy.restore();
    }
    expect((await fetch(`${iris.url}/api/chats`, { headers })).status).toBe(200);
    const answer = await readStream(await sendChat(chatId, 'and now?'));
    expect(answer.text.length).toBeGreaterThan(0);
  });

  it('keeps an answer that finished while the database was cut, and saves it once the database is back', async () => {
    const chatId = id('c');
    const response = await sendChat(chatId, 'tell me a story [fake:chunks:8] [fake:chunk-delay:100]');
    expect(response.status).toBe(200);
    let restored = false;
    try {
      const streamed = await readStream(response, () => proxy.cut());
      // The browser got the whole answer.
      expect(streamed.chunks.find((c) => c.type === 'finish')?.messageMetadata?.status).toBe('complete');
      expect(streamed.text.length).toBeGreaterThan(0);
      // Reading the chat while cut says so…
      await expectUnavailable((await getChat(chatId)).response);
      proxy.restore();
      restored = true;
      // …and once the database is back, the answer is in the chat as the browser saw it.
      await expect
        .poll(async () => answerOf((await getChat(chatId)).body)?.metadata?.status, { timeout: 10_000, interval: 200 })
        .toBe('complete');
      expect(textOf(answerOf((await getChat(chatId)).body))).toBe(streamed.text);
      expect(iris.output()).toContain('answer_saved_late');
    } finally {
      if (!restored) proxy.restore();
    }
  });

  it('recovers within a moment of the database coming back, also after an outage under load', async () => {
    let stop = false;
    const failures: number[] = [];
    let restoredAt = Number.POSITIVE_INFINITY;
    // Requests keep coming during the outage, as they would: connections break mid-write, queries pile up.
    const load = async () => {
      while (!stop) {
        const startedAt = performance.now();
        const status = await fetch(`${iris.url}/api/chats`, { headers }).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) failures.push(startedAt - restoredAt);
      }
    };
    const clients = Array.from({ length: 6 }, load);
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    proxy.restore();
    restoredAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    stop = true;
    await Promise.all(clients);
    expect(failures.filter((sinceRestore) => sinceRestore < 0).length).toBeGreaterThan(0);
    // Whatever was caught up in the outage has had its deadline by then; nothing after it fails.
    expect(failures.filter((sinceRestore) => sinceRestore > DATABASE_TIMEOUT_MS + 500)).toEqual([]);
  });

  it('bounds requests on a slow database by DATABASE_TIMEOUT_MS, and is fast again once it is', async () => {
    proxy.setLatency(3_000);
    try {
      const started = performance.now();
      await expectUnavailable(await fetch(`${iris.url}/api/chats`, { headers }));
      expect(performance.now() - started).toBeLessThan(DATABASE_TIMEOUT_MS + 1_500);
    } finally {
      proxy.setLatency(0);
    }
    await expect
      .poll(async () => (await fetch(`${iris.url}/api/chats`, { headers })).status, { timeout: 10_000, interval: 250 })
      .toBe(200);
  });
});

describe('shutdown and restart', () => {
  it('on SIGTERM lets a short answer finish, interrupts a long one keeping its text, and exits 0 within the grace period; the restart marks stale answers', async () => {
    // An answer a crashed server left streaming long ago, and one that could still be running elsewhere.
    const direct = await openDatabase({ url: database.url });
    const staleChat = id('c');
    const freshChat = id('c');
    try {
      for (const chatId of [staleChat, freshChat]) {
        await createChat(direct.db, OWNER, { id: chatId, model: 'gemini-3-flash-preview' });
        await appendMessage(direct.db, OWNER, chatId, { role: 'user', parts: [{ type: 'text', text: 'q' }] });
        await appendMessage(direct.db, OWNER, chatId, {
          id: `${chatId}-a`,
          role: 'assistant',
          parts: [{ type: 'text', text: 'Half of it' }],
          status: 'streaming',
        });
      }
      await direct.db
        .update(messages)
        .set({ createdAt: sql`now() - interval '1 hour'` })
        .where(and(eq(messages.ownerId, OWNER), eq(messages.id, `${staleChat}-a`)));
    } finally {
      await direct.close();
    }

    const shortChat = id('c');
    const longChat = id('c');
    const short = sendChat(shortChat, 'short [fake:chunks:4] [fake:chunk-delay:150]');
    const long = await sendChat(longChat, 'long [fake:chunks:40] [fake:chunk-delay:400]');
    let signalledAt = 0;
    const longRead = readStream(long, () => {
      signalledAt = performance.now();
      iris.child.kill('SIGTERM');
    });
    const shortRead = readStream(await short);

    const code = await iris.exited;
    const tookMs = performance.now() - signalledAt;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_GRACE_MS + 1_500);
    const [shortAnswer, longAnswer] = await Promise.all([shortRead, longRead]);
    // Both browsers got the end of their streams before the process went, the long one saying why it ended.
    expect(shortAnswer.ended).toBe(true);
    expect(longAnswer.ended).toBe(true);
    expect(longAnswer.chunks.filter((c) => c.type === 'message-metadata').at(-1)?.messageMetadata).toEqual({
      status: 'interrupted',
    });
    expect(iris.output()).toContain('shutdown_finished');

    const firstRun = iris.output();
    iris = await startIris(env());
    await storageReady(iris);

    const shortSaved = answerOf((await getChat(shortChat)).body);
    expect(shortSaved?.metadata?.status, firstRun).toBe('complete');
    expect(textOf(shortSaved)).toBe(shortAnswer.text);
    const longSaved = answerOf((await getChat(longChat)).body);
    expect(longSaved?.metadata?.status).toBe('interrupted');
    expect(textOf(longSaved).length).toBeGreaterThan(0);
    expect(longAnswer.text.startsWith(textOf(longSaved))).toBe(true);

    await expect
      .poll(async () => answerOf((await getChat(staleChat)).body)?.metadata?.status, { timeout: 5_000 })
      .toBe('interrupted');
    expect(textOf(answerOf((await getChat(staleChat)).body))).toBe('Half of it');
    expect(answerOf((await getChat(freshChat)).body)?.metadata?.status).toBe('streaming');
  }, 60_000);
});

describe('the embedded database (PGlite)', () => {
  it('marks answers a stopped server left streaming as interrupted at start-up', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'iris-faults-'));
    let pglite: IrisProcess | undefined;
    try {
      await seedPgliteDataDir(dataDir);
      const seeded = await openDatabase({ dataDir });
      const chatId = id('c');
      try {
        await createChat(seeded.db, OWNER, { id: chatId, model: 'gemini-3-flash-preview' });
        await appendMessage(seeded.db, OWNER, chatId, { role: 'user', parts: [{ type: 'text', text: 'q' }] });
        await appendMessage(seeded.db, OWNER, chatId, {
          role: 'assistant',
          parts: [{ type: 'text', text: 'Cut off' }],
          status: 'streaming',
        });
        await seeded.db
          .update(messages)
          .set({ createdAt: sql`now() - interval '1 hour'` })
          .where(eq(messages.chatId, chatId));
      } finally {
        await seeded.close();
      }
      pglite = await startIris({ ...env(), DATABASE_URL: '', IRIS_DATA_DIR: dataDir });
      await storageReady(pglite);
      const response = await fetch(`${pglite.url}/api/chats/${chatId}`, { headers });
      expect(response.status).toBe(200);
      const body = (await response.json()) as NonNullable<Awaited<ReturnType<typeof getChat>>['body']>;
      expect(answerOf(body)?.metadata?.status).toBe('interrupted');
      expect(textOf(answerOf(body))).toBe('Cut off');
    } finally {
      await pglite?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
