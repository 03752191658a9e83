// `npm run bench -- --soak SECONDS`: mixed traffic (chat answers through /api/chat, OpenAI streams, image requests)
// against the production server for SECONDS, while the database connection is cut for a few seconds at regular
// intervals through a TCP proxy. Reports errors other than the injected outages (goal 0), the server's RSS at
// start, middle and end (goal: flat) and chat answers lost (goal 0: every answer the client received in full must
// be in its chat afterwards, word for word). Needs PostgreSQL on 127.0.0.1:5432 (or BENCH_DATABASE_ADMIN_URL).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { processTree, treeRssBytes } from './lib/proc.mjs';
import { freePort, startNext } from './lib/server.mjs';

const { DEFAULT_API_KEYS, startFakeGemini } = await import('../tests/fake-gemini/server.ts');
const { startCuttableProxy } = await import('../tests/support/cuttable-proxy.ts');
const { dataUrl, makePng } = await import('../tests/support/png.ts');

const KEY = 'soak-key';
const GEMINI_KEY = DEFAULT_API_KEYS[0];
const MODEL = 'gemini-3.8-flash';
const PLAN = {
  workers: 4,
  cutEveryMs: 30_000,
  cutForMs: 4_000,
  // Requests that began this long after a restore may still meet the outage (a query already waiting on it).
  recoveryMs: 3_000,
  databaseTimeoutMs: 2_000,
};
const MB = 1024 * 1024;
const log = (text) => process.stderr.write(`soak: ${text}\n`);

export async function runSoak({ root, distDir, seconds, resultsDir }) {
  const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `iris_soak_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const target = new URL(adminUrl);
  const proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const through = new URL(adminUrl);
  through.host = `${proxy.host}:${proxy.port}`;
  through.pathname = `/${name}`;

  const fake = await startFakeGemini({ apiKeys: [GEMINI_KEY] });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  mkdirSync(resultsDir, { recursive: true });
  const server = startNext({
    node: process.execPath,
    nextBin: join(root, 'node_modules/.bin/next'),
    root,
    port,
    logFile: join(resultsDir, 'soak-server.log'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: distDir,
      GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
      GOOGLE_GENERATIVE_AI_API_KEY: GEMINI_KEY,
      API_KEYS: KEY,
      DATABASE_URL: through.href,
      DATABASE_TIMEOUT_MS: String(PLAN.databaseTimeoutMs),
      IRIS_QUIET_LOGS: '1',
    },
  });
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

  const outages = [];
  const errors = { injected: 0, other: 0, otherSamples: [] };
  const counts = { chat: 0, stream: 0, image: 0 };
  const answered = [];
  // A request met an outage when it was under way at some moment of it (or of the moments just after it).
  const metOutage = (startedAt, endedAt) =>
    outages.some((o) => endedAt >= o.from && startedAt <= (o.to ?? Number.POSITIVE_INFINITY) + PLAN.recoveryMs);

  const fail = (what, startedAt, detail, code) => {
    if (code === 'database_unavailable' && metOutage(startedAt, Date.now())) {
      errors.injected += 1;
      return;
    }
    errors.other += 1;
    // When it began relative to the last outage's end says whether it was the outage's tail or something else.
    const last = outages.at(-1);
    const after = last?.to === undefined ? '' : ` (began ${startedAt - last.to} ms after the database came back)`;
    if (errors.otherSamples.length < 10) errors.otherSamples.push(`${what}: ${detail}${after}`);
  };

  async function chatTurn() {
    const startedAt = Date.now();
    const chatId = `soak${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const text = `Tell me about turn ${chatId} [fake:chunks:6] [fake:chunk-delay:30]`;
    try {
      const response = await fetch(`${origin}/api/chat`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          id: chatId,
          message: { id: `m${chatId}`, role: 'user', parts: [{ type: 'text', text }] },
        }),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        return fail('chat', startedAt, `${response.status} ${body.error?.code}`, body.error?.code);
      }
      const raw = await response.text();
      const chunks = raw
        .split('\n\n')
        .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
        .map((block) => JSON.parse(block.slice(6)));
      const finish = chunks.find((c) => c.type === 'finish');
      if (finish?.messageMetadata?.status !== 'complete') return fail('chat', startedAt, 'stream did not complete');
      const answer = chunks
        .filter((c) => c.type === 'text-delta')
        .map((c) => c.delta)
        .join('');
      answered.push({ chatId, answer });
      counts.chat += 1;
    } catch (error) {
      fail('chat', startedAt, String(error));
    }
  }

  async function apiStream() {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: MODEL,
          stream: true,
          messages: [{ role: 'user', content: 'Count to five [fake:chunks:5] [fake:chunk-delay:10]' }],
        }),
      });
      const raw = await response.text();
      if (response.status !== 200 || !raw.includes('data: [DONE]'))
        return fail('stream', startedAt, `${response.status}`);
      counts.stream += 1;
    } catch (error) {
      fail('stream', startedAt, String(error));
    }
  }

  const png = dataUrl(makePng(64, 48, 3));
  async function image() {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: MODEL,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image_url', image_url: { url: png } },
              ],
            },
          ],
        }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) return fail('image', startedAt, `${response.status}`);
      counts.image += 1;
    } catch (error) {
      fail('image', startedAt, String(error));
    }
  }

  const kinds = [chatTurn, chatTurn, apiStream, image];
  try {
    await server.waitUntilAnswers(`${origin}/v1/models`, 60_000);
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${origin}/api/chats`, { headers }).then((r) => r.status)) !== 200) {
      if (Date.now() > deadline) throw new Error('the database did not open');
      await sleep(200);
    }
    const pids = processTree(server.pid);
    // A short warm-up, so the start figure is of a server that has loaded its code.
    for (let i = 0; i < 20; i++) await Promise.all(kinds.map((kind) => kind()));
    answered.length = 0;
    Object.assign(counts, { chat: 0, stream: 0, image: 0 });
    Object.assign(errors, { injected: 0, other: 0, otherSamples: [] });
    fake.reset();
    const rss = { start: treeRssBytes(pids), middle: 0, end: 0 };
    log(`running ${seconds} s of traffic, cutting the database for ${PLAN.cutForMs} ms every ${PLAN.cutEveryMs} ms`);

    const startedAt = Date.now();
    const endAt = startedAt + seconds * 1000;
    let stop = false;
    const cutter = (async () => {
      while (!stop) {
        await sleep(PLAN.cutEveryMs - PLAN.cutForMs);
        if (stop || Date.now() + PLAN.cutForMs > endAt) break;
        const outage = { from: Date.now(), to: undefined };
        outages.push(outage);
        proxy.cut();
        await sleep(PLAN.cutForMs);
        proxy.restore();
        outage.to = Date.now();
      }
    })();
    const middle = (async () => {
      await sleep((seconds * 1000) / 2);
      rss.middle = treeRssBytes(pids);
    })();
    const worker = async (index) => {
      for (let i = index; Date.now() < endAt; i++) {
        await kinds[i % kinds.length]();
        // The fake keeps every request; dropping them keeps the bench's own memory flat.
        if (fake.requests.length > 500) fake.reset();
      }
    };
    await Promise.all(Array.from({ length: PLAN.workers }, (_, i) => worker(i)));
    stop = true;
    await Promise.all([cutter, middle]);
    proxy.restore();
    rss.end = treeRssBytes(pids);

    // Answers saved late need a moment after the last outage: the queue retries with a backoff of a few seconds.
    log(`checking that the ${answered.length} answers are in their chats`);
    let lost = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      lost = [];
      for (let i = 0; i < answered.length; i += 16) {
        const batch = answered.slice(i, i + 16);
        const found = await Promise.all(batch.map((entry) => storedAnswer(entry.chatId)));
        batch.forEach((entry, j) => {
          if (found[j]?.status !== 'complete' || found[j]?.text !== entry.answer) lost.push(entry.chatId);
        });
      }
      if (lost.length === 0) break;
      await sleep(2_000);
    }

    await sleep(200);
    const serverLog = readFileSync(join(resultsDir, 'soak-server.log'), 'utf8');
    const results = {
      date: new Date().toISOString(),
      seconds,
      plan: PLAN,
      outages: outages.length,
      requests: counts,
      errors: { injected: errors.injected, other: errors.other, otherSamples: errors.otherSamples },
      rssMB: { start: rss.start / MB, middle: rss.middle / MB, end: rss.end / MB },
      answers: { received: answered.length, lost: lost.length },
      savedLate: (serverLog.match(/answer_saved_late/g) ?? []).length,
      dropped: (serverLog.match(/answer_save_dropped/g) ?? []).length,
    };
    writeFileSync(join(resultsDir, 'soak.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      [
        `Soak: ${seconds} s, ${outages.length} database cuts of ${PLAN.cutForMs / 1000} s`,
        `Requests: ${counts.chat} chat answers, ${counts.stream} API streams, ${counts.image} image requests`,
        `Errors: ${errors.other} other than the injected outages (${errors.injected} injected 503s)`,
        `RSS: start ${results.rssMB.start.toFixed(1)} MB, middle ${results.rssMB.middle.toFixed(1)} MB, end ${results.rssMB.end.toFixed(1)} MB`,
        `Answers lost: ${lost.length} of ${answered.length} (${results.savedLate} saved after an outage)`,
        ...errors.otherSamples.map((s) => `  ${s}`),
        '',
      ].join('\n'),
    );
    log('wrote bench/results/soak.json');
    return results;
  } catch (error) {
    process.stderr.write(`\nnext start output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}\n`);
    throw error;
  } finally {
    await server.stop();
    await proxy.close();
    await fake.close();
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await cleanup.end();
  }

  async function storedAnswer(chatId) {
    const response = await fetch(`${origin}/api/chats/${chatId}`, { headers });
    if (!response.ok) return undefined;
    const body = await response.json();
    const answer = body.messages.findLast((m) => m.role === 'assistant');
    return {
      status: answer?.metadata?.status,
      text: answer?.parts.map((p) => (p.type === 'text' ? p.text : '')).join('') ?? '',
    };
  }
}
