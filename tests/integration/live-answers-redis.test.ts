import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, startFakeGemini } from '../fake-gemini/server.ts';
import { answerText, liveClient, newChatId, readAll, readUntil } from '../support/live-answers.ts';
import { type IrisProcess, startIris } from '../support/server-process.ts';

/**
 * Two Iris instances behind one load balancer: the same PostgreSQL and the same Redis (REDIS_URL). An answer
 * started on one is followed and stopped through the other. This file runs its own servers and database.
 */

const KEY = 'live-answers-redis-key';
const GEMINI_KEY = 'live-answers-gemini-key';
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379';
const SLOW = '[fake:chunks:15] [fake:chunk-delay:200]';

let fake: FakeGemini;
let database: string;
let dataDir: string;
const instances: IrisProcess[] = [];

beforeAll(async () => {
  fake = await startFakeGemini({ apiKeys: [GEMINI_KEY] });
  database = `iris_live_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  await admin.end();
  dataDir = mkdtempSync(path.join(tmpdir(), 'iris-live-'));
  const env = {
    API_KEYS: KEY,
    GOOGLE_GENERATIVE_AI_API_KEY: GEMINI_KEY,
    GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    REDIS_URL,
    IRIS_DATA_DIR: dataDir,
  };
  // One after the other: both would otherwise run the migrations at once.
  for (let i = 0; i < 2; i++) {
    const iris = await startIris(env);
    instances.push(iris);
    await iris.ready(60_000);
  }
}, 150_000);

afterAll(async () => {
  await Promise.all(instances.map((iris) => iris.stop()));
  await fake?.close();
  if (database) {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

const on = (index: number) => liveClient(instances[index]?.url ?? '', KEY);

describe('two instances sharing Redis', () => {
  it('an answer started on one is followed on the other, from its start to its end', async () => {
    const chat = newChatId();
    const started = await on(0).ask(chat, `Tell me a long story. ${SLOW}`);
    expect(started.status).toBe(200);
    const { text: seen } = await readUntil(started, (text) => text.length > 0);

    const follow = await on(1).follow(chat);
    expect(follow.status).toBe(200);
    const followed = await readAll(follow);
    const saved = await on(1).settled(chat);
    expect(saved.metadata?.status).toBe('complete');
    expect(followed.text).toBe(answerText(saved));
    expect(followed.text.startsWith(seen)).toBe(true);
    expect(followed.text).toContain('Last prompt');
    expect((await on(1).follow(chat)).status).toBe(204);
  });

  it('a Stop on one instance stops the answer the other is writing', async () => {
    const chat = newChatId();
    const tag = `stop${randomBytes(4).toString('hex')}`;
    const started = await on(0).ask(chat, `Go on and on. [tag:${tag}] ${SLOW}`);
    const reading = await readUntil(started, (text) => text.length > 0);

    expect((await on(1).stop(chat)).status).toBe(204);
    const saved = await on(0).answer(chat);
    expect(saved?.metadata?.status).toBe('stopped');
    expect(answerText(saved)).not.toContain('Last prompt');
    await expect.poll(() => fake.requests.find((r) => r.tag === tag)?.clientAborted, { timeout: 5_000 }).toBe(true);
    const rest = await reading.rest();
    expect(rest.chunks.findLast((c) => c.type === 'message-metadata')?.messageMetadata?.status).toBe('stopped');
  });
});
