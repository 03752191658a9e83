// `npm run bench`: the production server (`next start`) against the fake Gemini at zero latency, compared with the
// same requests sent straight to the fake (the floor). Prints a table, writes bench/results/latest.{json,md}.
// BENCH_SERVER_NODE_ARGS adds Node flags to the server for diagnosis, e.g. "--trace-gc" or
// "--cpu-prof --cpu-prof-dir=bench/results/cpu-prof" (then `npm exec -- node bench/profile-summary.mjs <file>`);
// the numbers then include that overhead and say so. The server's output goes to bench/results/server.log.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cpuMs, machineCpuMs, machineInfo, ownCpuMs, processTree, treeRssBytes } from './lib/proc.mjs';
import { renderMarkdown, renderTable } from './lib/report.mjs';
import { startRssSampler } from './lib/rss-sampler.mjs';
import { freePort, runToCompletion, staleBuildReason, startNext } from './lib/server.mjs';
import { mean, rounded, summarize } from './lib/stats.mjs';

// The fake and the PNG writer are TypeScript; a system Node without type stripping would fail on them obscurely.
if (!process.features.typescript) {
  process.stderr.write(`bench: Node ${process.version} cannot run TypeScript; use \`npm run bench\` (Node 24).\n`);
  process.exit(2);
}
const { DEFAULT_API_KEYS, startFakeGemini } = await import('../tests/fake-gemini/server.ts');
const { dataUrl, makePng } = await import('../tests/support/png.ts');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench/results');
const NEXT_BIN = join(ROOT, 'node_modules/.bin/next');
// Another build beside the main one (a worktree, a parallel test run) is benchmarked by naming its directory.
const DIST_DIR = process.env.NEXT_DIST_DIR || '.next';
const BUILD_SOURCES = ['app', 'lib', 'components', 'instrumentation.ts', 'next.config.ts'];

const MODEL = 'gemini-3.8-flash';
const IRIS_KEY = 'bench-key';
const GEMINI_KEY = DEFAULT_API_KEYS[0];
const MiB = 1024 * 1024;

const PLAN = {
  // Measured on the 2-core dev VM: Iris's per-request CPU keeps falling for ~1000 requests (V8 tiering up Next, the
  // AI SDK and zod), so a 50-request warm-up would put the JIT ramp into the numbers.
  warmup: { json: 1000, stream: 300, batch: 250 },
  latencyRequests: 300,
  throughputMs: 5_000,
  concurrencies: [1, 8],
  ttfbRequests: 200,
  holdback: { streams: 20, chunks: 20, chunkDelayMs: 25 },
  // Uncompressed RGB PNGs: 1000x2000 is ~6 MB, 2000x3332 just under 20 MB (the limit is 20 MiB).
  images: { count: 20, width: 1000, height: 2000 },
  bigImage: { width: 2000, height: 3332 },
  rssSampleMs: 50,
  // What a RAG indexer sends: a few hundred passages per call, at a common dimensionality, over the openai client's
  // default base64 transport. 256 inputs are three Gemini batches (100 + 100 + 56), which Iris sends at once.
  embeddings: {
    inputs: 256,
    dimensions: 768,
    warmup: 40,
    latencyRequests: 40,
    throughputMs: 5_000,
    concurrencies: [1, 4],
  },
};

const TARGETS = { addedP50Ms: 2, ttfbOverheadMs: 5, extraRssMultiple: 3 };

/** One clock for the bench and the in-process fake (its chunkSentAt uses the same expression). */
const clock = () => performance.timeOrigin + performance.now();
const log = (text) => process.stderr.write(`bench: ${text}\n`);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let irisOrigin = '';
let fake;
/** The server's process tree, for CPU accounting. */
let serverPids = [];
/** When `next start` was spawned, on `clock()`: lets a stall be matched to the server's --trace-gc timestamps. */
let serverSpawnedAt = 0;

// ---------------------------------------------------------------------------------------------------------------
// Requests. Bodies are serialised once up front so the client does the same work for Iris and for the floor.

const chatBody = (content, extra = {}) =>
  JSON.stringify({ model: MODEL, messages: [{ role: 'user', content }], ...extra });

async function expectOk(res, what) {
  if (res.status === 200) return;
  const text = await res.text().catch(() => '');
  throw new Error(`${what} answered ${res.status}: ${text.slice(0, 500)}`);
}

async function postIris(body) {
  const res = await fetch(`${irisOrigin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${IRIS_KEY}` },
    body,
  });
  await expectOk(res, 'Iris');
  return res;
}

async function postFake(method, body) {
  const query = method === 'streamGenerateContent' ? '?alt=sse' : '';
  const res = await fetch(`${fake.baseURL}/models/${MODEL}:${method}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': GEMINI_KEY },
    body,
  });
  await expectOk(res, `fake ${method}`);
  return res;
}

/** Calls onEvent(data, arrivedAt) for each SSE event as soon as the read that completes it returns. */
async function readSse(body, separator, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    const at = clock();
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.indexOf(separator);
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + separator.length);
      if (block.startsWith('data: ')) onEvent(block.slice('data: '.length), at);
      end = buffer.indexOf(separator);
    }
  }
}

const deltaContent = (data) => (data === '[DONE]' ? '' : (JSON.parse(data).choices?.[0]?.delta?.content ?? ''));

async function irisJson(body) {
  const res = await postIris(body);
  await res.arrayBuffer();
}

async function floorJson(body) {
  const res = await postFake('generateContent', body);
  await res.arrayBuffer();
}

/** ttfb: the response head arrived (fetch resolved); firstContent: the first non-empty delta.content arrived. */
async function irisStream(body) {
  const start = clock();
  const res = await postIris(body);
  const ttfb = clock() - start;
  let firstContent = Number.NaN;
  const contentAt = [];
  let done = false;
  await readSse(res.body, '\n\n', (data, at) => {
    if (data === '[DONE]') done = true;
    else if (deltaContent(data) !== '') contentAt.push(at);
  });
  if (!done) throw new Error('Iris stream ended without [DONE]');
  if (contentAt.length > 0) firstContent = contentAt[0] - start;
  return { ttfb, firstContent, contentAt };
}

/** How many other items share each item's value: chunks that arrived in the same read came batched. */
function sameValueCounts(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return values.map((v) => counts.get(v));
}

async function floorStream(body) {
  const start = clock();
  const res = await postFake('streamGenerateContent', body);
  const ttfb = clock() - start;
  let firstChunk = Number.NaN;
  await readSse(res.body, '\r\n\r\n', (_data, at) => {
    if (Number.isNaN(firstChunk)) firstChunk = at - start;
  });
  return { ttfb, firstChunk };
}

/** Closed loop: `concurrency` clients each send the next request as soon as the last one is answered. */
async function throughput(send, concurrency, durationMs) {
  let completed = 0;
  const serverCpu = cpuMs(serverPids);
  const ownCpu = ownCpuMs();
  const start = performance.now();
  const deadline = start + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      await send();
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - start) / 1000;
  const cpu = {
    serverMsPerRequest: (cpuMs(serverPids) - serverCpu) / completed,
    benchMsPerRequest: (ownCpuMs() - ownCpu) / completed,
  };
  // The fake records every request; dropping them keeps the bench's own heap (and GC pauses) small.
  fake.reset();
  return { concurrency, requests: completed, seconds, rps: completed / seconds, cpu };
}

// ---------------------------------------------------------------------------------------------------------------
// Phases

async function measureLatency(irisBody, floorBody) {
  const iris = [];
  const floor = [];
  // Coarse split of each Iris request (Date.now(), ms resolution, unbiased when averaged over hundreds):
  // before the fake saw it, inside the fake, after the fake finished.
  const split = { iris: { before: [], inFake: [], after: [] }, floor: { before: [], inFake: [], after: [] } };
  const record = (into, sentAt, doneAt) => {
    const r = fake.requests.at(-1);
    into.before.push(r.receivedAt - sentAt);
    into.inFake.push(r.finishedAt - r.receivedAt);
    into.after.push(doneAt - r.finishedAt);
  };
  const serverCpu = cpuMs(serverPids);
  // Interleaved, so drift (thermal, GC in either process, other tenants) hits both series alike.
  for (let i = 0; i < PLAN.latencyRequests; i++) {
    let sentAt = Date.now();
    let t = performance.now();
    await irisJson(irisBody);
    iris.push(performance.now() - t);
    record(split.iris, sentAt, Date.now());

    sentAt = Date.now();
    t = performance.now();
    await floorJson(floorBody);
    floor.push(performance.now() - t);
    record(split.floor, sentAt, Date.now());
  }
  // Only Iris's requests reach the server, so its CPU divides cleanly by them.
  const serverCpuMsPerRequest = (cpuMs(serverPids) - serverCpu) / PLAN.latencyRequests;
  fake.reset();
  const avg = (s) => ({ before: mean(s.before), inFake: mean(s.inFake), after: mean(s.after) });
  return {
    iris: summarize(iris),
    floor: summarize(floor),
    split: { iris: avg(split.iris), floor: avg(split.floor) },
    serverCpuMsPerRequest,
  };
}

async function measureThroughput(irisBody, floorBody) {
  const out = [];
  for (const concurrency of PLAN.concurrencies) {
    log(`throughput, concurrency ${concurrency}, ${PLAN.throughputMs / 1000} s each`);
    const iris = await throughput(() => irisJson(irisBody), concurrency, PLAN.throughputMs);
    const floor = await throughput(() => floorJson(floorBody), concurrency, PLAN.throughputMs);
    out.push({ concurrency, iris, floor });
  }
  return out;
}

async function measureTtfb(irisBody, floorBody) {
  const iris = { ttfb: [], firstContent: [] };
  const floor = { ttfb: [], firstChunk: [] };
  for (let i = 0; i < PLAN.ttfbRequests; i++) {
    const a = await irisStream(irisBody);
    iris.ttfb.push(a.ttfb);
    iris.firstContent.push(a.firstContent);
    const b = await floorStream(floorBody);
    floor.ttfb.push(b.ttfb);
    floor.firstChunk.push(b.firstChunk);
  }
  fake.reset();
  return {
    iris: { ttfb: summarize(iris.ttfb), firstContent: summarize(iris.firstContent) },
    floor: { ttfb: summarize(floor.ttfb), firstChunk: summarize(floor.firstChunk) },
  };
}

async function measureHoldBack() {
  const { streams, chunks, chunkDelayMs } = PLAN.holdback;
  const delays = [];
  const problems = [];
  const lagging = [];
  const fakeIntervals = [];
  let batchedChunks = 0;
  // Long enough that the fake's answer has more words than chunks, so it really sends `chunks` of them.
  const prompt =
    'Please describe, in as many plain words as you like, what arrived in this request and how it was framed';
  for (let s = 0; s < streams; s++) {
    const tag = `holdback${s}`;
    const body = chatBody(`${prompt} [tag:${tag}] [fake:chunks:${chunks}] [fake:chunk-delay:${chunkDelayMs}]`, {
      stream: true,
    });
    const { contentAt } = await irisStream(body);
    const sentAt = fake.requests.find((r) => r.tag === tag)?.chunkSentAt ?? [];
    if (sentAt.length !== chunks || contentAt.length !== sentAt.length) {
      problems.push(`stream ${s}: fake sent ${sentAt.length} chunks, Iris delivered ${contentAt.length}`);
    }
    const lags = contentAt.slice(0, sentAt.length).map((at, i) => at - sentAt[i]);
    // Every content event parsed from one read carries that read's timestamp, so equal stamps mean one batch.
    const batch = sameValueCounts(contentAt);
    batchedChunks += batch.filter((n) => n > 1).length;
    for (const [i, lag] of lags.entries()) {
      if (lag > chunkDelayMs) {
        const sinceServerStartMs = sentAt[i] - serverSpawnedAt;
        lagging.push({ stream: s, chunk: i, lagMs: lag, deliveredWith: batch[i] - 1, sinceServerStartMs });
      }
    }
    for (let i = 1; i < sentAt.length; i++) fakeIntervals.push(sentAt[i] - sentAt[i - 1]);
    delays.push(...lags);
  }
  fake.reset();
  return {
    streams,
    chunks,
    chunkDelayMs,
    delay: summarize(delays),
    chunksLaggingMoreThanOneDelay: lagging.length,
    lagging,
    // Chunks that reached the client in the same read as another one: what holding back would look like.
    batchedChunks,
    // The fake's own pacing: intervals far above chunk-delay mean the bench process itself was starved of CPU.
    fakeInterval: summarize(fakeIntervals),
    problems,
  };
}

function imageRequest(png, tag) {
  const body = chatBody([
    { type: 'text', text: `What is in this image? [tag:${tag}]` },
    { type: 'image_url', image_url: { url: dataUrl(png) } },
  ]);
  return { body, bodyBytes: Buffer.byteLength(body), png, tag, sha256: sha256(png) };
}

async function sendImage(request) {
  const res = await postIris(request.body);
  await res.arrayBuffer();
  const seen = fake.requests.find((r) => r.tag === request.tag)?.images ?? [];
  const ok = seen.length === 1 && seen[0].sha256 === request.sha256 && seen[0].bytes === request.png.length;
  // Each record holds the whole parsed body; keeping 20 of them would only weigh on the bench's own GC.
  fake.reset();
  return { status: res.status, ok };
}

async function measureMemory(pid) {
  const pids = processTree(pid);
  log(`memory: server process tree ${pids.join(', ')}; building ${PLAN.images.count} + 1 PNGs`);
  // Built before measuring, so the bench's main thread is free to send while the server is sampled.
  const { width, height, count } = PLAN.images;
  const small = [];
  for (let i = 0; i < count; i++) small.push(imageRequest(makePng(width, height, i + 1), `mem${i}`));
  const big = imageRequest(makePng(PLAN.bigImage.width, PLAN.bigImage.height, 99), 'membig');
  if (big.png.length >= 20 * MiB) throw new Error(`the big image is ${big.png.length} bytes, not under 20 MiB`);

  const sampler = await startRssSampler(pids, PLAN.rssSampleMs);
  try {
    await sleep(1_000); // the baseline is taken once the previous phases' last requests are over
    const before = treeRssBytes(pids);

    await sampler.reset();
    const smallResults = [await sendImage(small[0])];
    // The first request alone: what one image costs a warm server before garbage from the next ones piles up.
    const afterFirst = treeRssBytes(pids);
    const firstWindow = await sampler.report();
    for (const request of small.slice(1)) smallResults.push(await sendImage(request));
    const afterSmall = treeRssBytes(pids);
    const smallWindow = await sampler.report();

    await sampler.reset();
    const bigResult = await sendImage(big);
    const afterBig = treeRssBytes(pids);
    const bigWindow = await sampler.report();

    await sleep(1_000);
    const settled = treeRssBytes(pids);
    const phase = (start, after, window, imageBytes, bodyBytes, results) => ({
      imageBytes,
      requestBodyBytes: bodyBytes,
      rssBefore: start,
      rssAfter: after,
      rssPeak: Math.max(window.peak, start, after),
      samples: window.samples,
      extraPeakMultiple: (Math.max(window.peak, after) - start) / imageBytes,
      extraAfterMultiple: (after - start) / imageBytes,
      status200: results.filter((r) => r.status === 200).length,
      sha256Verified: results.filter((r) => r.ok).length,
      requests: results.length,
    });
    return {
      pids,
      summedTree: pids.length > 1,
      firstSmallImage: phase(before, afterFirst, firstWindow, small[0].png.length, small[0].bodyBytes, [
        smallResults[0],
      ]),
      smallImages: phase(before, afterSmall, smallWindow, small[0].png.length, small[0].bodyBytes, smallResults),
      bigImage: phase(afterSmall, afterBig, bigWindow, big.png.length, big.bodyBytes, [bigResult]),
      rssSettled: settled,
    };
  } finally {
    await sampler.stop();
  }
}

/**
 * Embeddings: inputs per second through Iris (POST /v1/embeddings) against the floor, the same Gemini batches sent
 * straight to the fake, all of one request's batches at once as Iris sends them. Iris's extra work is parsing the
 * request, Gemini's JSON vectors, and encoding them as base64 float32.
 */
async function measureEmbeddings() {
  const plan = PLAN.embeddings;
  const input = Array.from(
    { length: plan.inputs },
    (_, i) => `Passage ${i}: Gemini embeddings turn a paragraph of plain text into a vector for retrieval and search.`,
  );
  const irisBody = JSON.stringify({
    model: 'text-embedding-3-small',
    input,
    dimensions: plan.dimensions,
    encoding_format: 'base64',
  });
  const iris = async () => {
    const res = await fetch(`${irisOrigin}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${IRIS_KEY}` },
      body: irisBody,
    });
    await expectOk(res, 'Iris embeddings');
    const body = await res.json();
    if (body.data.length !== plan.inputs) throw new Error(`Iris returned ${body.data.length} embeddings`);
  };
  fake.reset();
  await iris();
  // The floor replays exactly the batches Iris produced.
  const batches = fake.requests.map((r) => ({ model: r.model, body: JSON.stringify(r.body) }));
  if (batches.length !== Math.ceil(plan.inputs / 100)) throw new Error(`Iris sent ${batches.length} batches`);
  const floor = async () => {
    await Promise.all(
      batches.map(async (batch) => {
        const res = await fetch(`${fake.baseURL}/models/${batch.model}:batchEmbedContents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-api-key': GEMINI_KEY },
          body: batch.body,
        });
        await expectOk(res, 'fake batchEmbedContents');
        await res.json();
      }),
    );
  };

  for (let i = 0; i < plan.warmup; i++) {
    await iris();
    await floor();
  }
  fake.reset();
  const latency = { iris: [], floor: [] };
  const serverCpu = cpuMs(serverPids);
  for (let i = 0; i < plan.latencyRequests; i++) {
    let t = performance.now();
    await iris();
    latency.iris.push(performance.now() - t);
    t = performance.now();
    await floor();
    latency.floor.push(performance.now() - t);
  }
  const serverCpuMsPerRequest = (cpuMs(serverPids) - serverCpu) / plan.latencyRequests;
  fake.reset();
  const throughputs = [];
  for (const concurrency of plan.concurrencies) {
    log(`embeddings throughput, concurrency ${concurrency}, ${plan.throughputMs / 1000} s each`);
    const irisRun = await throughput(iris, concurrency, plan.throughputMs);
    const floorRun = await throughput(floor, concurrency, plan.throughputMs);
    const perInput = (run) => ({ ...run, inputsPerSecond: run.rps * plan.inputs });
    throughputs.push({ concurrency, iris: perInput(irisRun), floor: perInput(floorRun) });
  }
  return {
    inputs: plan.inputs,
    dimensions: plan.dimensions,
    batchesPerRequest: batches.length,
    latency: { iris: summarize(latency.iris), floor: summarize(latency.floor) },
    serverCpuMsPerRequest,
    throughput: throughputs,
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function buildIfStale(env) {
  const reason = staleBuildReason(ROOT, BUILD_SOURCES, DIST_DIR);
  if (reason === null) return { built: false };
  log(`${reason}: running next build`);
  const started = performance.now();
  await runToCompletion(process.execPath, [NEXT_BIN, 'build'], { cwd: ROOT, env, stdio: ['ignore', 2, 2] });
  const seconds = (performance.now() - started) / 1000;
  log(`next build done in ${seconds.toFixed(1)} s`);
  return { built: true, reason, seconds };
}

function serverEnv(fakeBaseURL) {
  // Only what a server needs from the shell: an inherited MAX_IMAGE_BYTES or similar would change what is measured.
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']
      .filter((k) => process.env[k] !== undefined)
      .map((k) => [k, process.env[k]]),
  );
  return {
    ...inherited,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    GOOGLE_GENERATIVE_AI_BASE_URL: fakeBaseURL,
    GOOGLE_GENERATIVE_AI_API_KEY: GEMINI_KEY,
    API_KEYS: IRIS_KEY,
    IRIS_QUIET_LOGS: '1',
    NEXT_DIST_DIR: DIST_DIR,
  };
}

function targets(r) {
  const added = r.latency.iris.p50 - r.latency.floor.p50;
  const ttfb = r.ttfb.iris.ttfb.p50 - r.ttfb.floor.ttfb.p50;
  const rss = Math.max(r.memory.smallImages.extraPeakMultiple, r.memory.bigImage.extraPeakMultiple);
  const h = r.holdBack;
  return [
    {
      name: 'Added latency p50',
      value: added,
      unit: 'ms',
      target: `≤ ${TARGETS.addedP50Ms} ms`,
      pass: added <= TARGETS.addedP50Ms,
    },
    {
      name: 'Stream TTFB overhead p50',
      value: ttfb,
      unit: 'ms',
      target: `≤ ${TARGETS.ttfbOverheadMs} ms`,
      pass: ttfb <= TARGETS.ttfbOverheadMs,
    },
    {
      name: 'No chunk held back',
      value: h.delay.max,
      unit: 'ms max lag',
      target: `every chunk < ${h.chunkDelayMs} ms (one chunk-delay)`,
      pass: h.chunksLaggingMoreThanOneDelay === 0 && h.problems.length === 0,
    },
    {
      name: 'Extra RSS (worst phase)',
      value: rss,
      unit: '× image',
      target: `≤ ${TARGETS.extraRssMultiple}×`,
      pass: rss <= TARGETS.extraRssMultiple,
    },
  ];
}

async function main() {
  const started = performance.now();
  const soak = soakSeconds(process.argv.slice(2));
  const build = await buildIfStale({ ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
  if (soak !== undefined) {
    const { runSoak } = await import('./soak.mjs');
    await runSoak({ root: ROOT, distDir: DIST_DIR, seconds: soak, resultsDir: RESULTS });
    return;
  }
  fake = await startFakeGemini({ apiKeys: [GEMINI_KEY] });
  try {
    await runAgainstServer({ started, build });
  } finally {
    await fake.close();
  }
  // Then the browser-side measures (npm passes `-- --soak N` to the last command of a script, so it is run here).
  await runToCompletion(process.execPath, [join(ROOT, 'bench/browser.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** `--soak SECONDS` (or `--soak=SECONDS`): the soak run instead of the benchmark; undefined without it. */
function soakSeconds(args) {
  const index = args.findIndex((a) => a === '--soak' || a.startsWith('--soak='));
  if (index === -1) return undefined;
  const value = args[index].includes('=') ? args[index].split('=')[1] : args[index + 1];
  const seconds = Number(value ?? 600);
  if (!Number.isInteger(seconds) || seconds < 10)
    throw new Error('--soak takes a whole number of seconds (10 or more)');
  return seconds;
}

async function runAgainstServer({ started, build }) {
  const port = await freePort();
  irisOrigin = `http://127.0.0.1:${port}`;
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  mkdirSync(RESULTS, { recursive: true });
  serverSpawnedAt = clock();
  const server = startNext({
    node: process.execPath,
    nextBin: NEXT_BIN,
    nodeArgs,
    root: ROOT,
    port,
    env: serverEnv(fake.baseURL),
    logFile: join(RESULTS, 'server.log'),
  });
  const stopOnSignal = (signal) => {
    log(`${signal}: stopping the server`);
    void server.stop(1_000).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    // An unauthenticated models call: answers without touching the chat route, so its first request stays cold.
    await server.waitUntilAnswers(`${irisOrigin}/v1/models`, 60_000);
    const readyMs = clock() - serverSpawnedAt;
    serverPids = processTree(server.pid);
    const load = { machine: machineCpuMs(), server: cpuMs(serverPids), bench: ownCpuMs(), at: performance.now() };
    // Through the run, so growth that outlives requests (not just one phase's garbage) shows up.
    const rssTimeline = [{ after: 'start', bytes: treeRssBytes(serverPids) }];
    log(`next start (pid ${server.pid}) answers after ${readyMs.toFixed(0)} ms`);

    const irisBody = chatBody('Say hello in five words.');
    const irisStreamBody = chatBody('Say hello in five words.', { stream: true });
    let t = performance.now();
    await irisJson(irisBody);
    const firstRequestMs = performance.now() - t;
    // The floor sends exactly the Gemini bodies Iris produced, so the two paths differ only by Iris.
    const floorBody = JSON.stringify(fake.requests.at(-1).body);
    t = performance.now();
    await irisStream(irisStreamBody);
    const firstStreamMs = performance.now() - t;
    const floorStreamBody = JSON.stringify(fake.requests.at(-1).body);

    const { json, stream, batch } = PLAN.warmup;
    log(`warm-up: ${json} non-stream and ${stream} stream requests, each also to the floor`);
    const warmupP50 = [];
    for (let done = 0; done < json; done += batch) {
      const times = [];
      for (let i = 0; i < batch; i++) {
        t = performance.now();
        await irisJson(irisBody);
        times.push(performance.now() - t);
        await floorJson(floorBody);
      }
      warmupP50.push(summarize(times).p50);
      fake.reset();
    }
    for (let i = 0; i < stream; i++) {
      await irisStream(irisStreamBody);
      await floorStream(floorStreamBody);
    }
    // The image path (decode, sniff) is warmed too, so the memory baseline already holds its code.
    for (let i = 0; i < 5; i++) await sendImage(imageRequest(makePng(64, 64, i), `warm${i}`));
    fake.reset();
    rssTimeline.push({ after: 'warm-up', bytes: treeRssBytes(serverPids) });

    log(`latency: ${PLAN.latencyRequests} sequential requests each, interleaved`);
    const latency = await measureLatency(irisBody, floorBody);
    rssTimeline.push({ after: 'latency', bytes: treeRssBytes(serverPids) });
    const tput = await measureThroughput(irisBody, floorBody);
    rssTimeline.push({ after: 'throughput', bytes: treeRssBytes(serverPids) });
    log(`stream TTFB: ${PLAN.ttfbRequests} streams each`);
    const ttfb = await measureTtfb(irisStreamBody, floorStreamBody);
    rssTimeline.push({ after: 'stream TTFB', bytes: treeRssBytes(serverPids) });
    log(`chunk hold-back: ${PLAN.holdback.streams} streams of ${PLAN.holdback.chunks} chunks`);
    const holdBack = await measureHoldBack();
    const memory = await measureMemory(server.pid);
    rssTimeline.push({ after: 'images', bytes: treeRssBytes(serverPids) });
    log(`embeddings: ${PLAN.embeddings.inputs} inputs of ${PLAN.embeddings.dimensions} dimensions per request`);
    const embeddings = await measureEmbeddings();
    rssTimeline.push({ after: 'embeddings', bytes: treeRssBytes(serverPids) });

    // Whatever else ran on the machine meanwhile (other builds and test runs) competed for the same two cores.
    const seconds = (performance.now() - load.at) / 1000;
    const machine = machineCpuMs();
    const otherCpuMs = machine.busy - load.machine.busy - (cpuMs(serverPids) - load.server) - (ownCpuMs() - load.bench);
    const contention = {
      otherProcessesCores: Math.max(0, otherCpuMs) / 1000 / seconds,
      stealCores: (machine.steal - load.machine.steal) / 1000 / seconds,
      loadavg: os.loadavg(),
    };

    const next = JSON.parse(readFileSync(join(ROOT, 'node_modules/next/package.json'), 'utf8')).version;
    const { cpuModel, memTotalBytes } = machineInfo();
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpuModel,
        cores: os.availableParallelism(),
        memTotalBytes,
        kernel: os.release(),
        node: process.version,
        next,
      },
      build,
      contention,
      serverNodeArgs: nodeArgs,
      server: { readyMs, firstRequestMs, firstStreamMs, warmupP50, warmupBatch: batch },
      plan: PLAN,
      limits: TARGETS,
      latency,
      throughput: tput,
      ttfb,
      holdBack,
      memory,
      embeddings,
      rssTimeline,
    };
    results.targets = targets(results);
    results.seconds = (performance.now() - started) / 1000;

    writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(rounded(results), null, 2)}\n`);
    writeFileSync(join(RESULTS, 'latest.md'), renderMarkdown(results));
    process.stdout.write(renderTable(results));
    log(`wrote bench/results/latest.json and latest.md in ${results.seconds.toFixed(0)} s`);
  } catch (error) {
    process.stderr.write(`\nnext start output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}\n`);
    throw error;
  } finally {
    const ended = await server.stop();
    if (nodeArgs.length > 0) log(`server exited (${ended.signal ?? `code ${ended.code}`})`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
