// The browser half of the benchmark, in headless Chromium:
//  1. prepareImage on a 12-megapixel phone JPEG (EXIF Orientation 6 + GPS): median of BENCH_PREP_RUNS runs (default 5)
//     after a warm-up, the bytes saved, and how long the main thread stalled meanwhile. The real module and worker are
//     bundled by esbuild and served without the Next app (tests/support/image-prep-bundle.ts, shared with the e2e spec).
//  2. The chat page's first-load JavaScript, gzipped: every script `/` of the production build (`next start`) loads.
// Prints a table and writes bench/results/browser-latest.{json,md}. Run with `node bench/browser.mjs` under Node 24
// (`npm run` puts it on PATH). It benchmarks the existing .next build and says when that build is stale.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { machineInfo } from './lib/proc.mjs';
import { freePort, staleBuildReason, startNext } from './lib/server.mjs';
import { rounded, summarize } from './lib/stats.mjs';

if (!process.features.typescript) {
  process.stderr.write(
    `bench: Node ${process.version} cannot run TypeScript; use Node 24 (\`npm run\` provides it).\n`,
  );
  process.exit(2);
}
const { serveImagePrep } = await import('../tests/support/image-prep-bundle.ts');
const { exifSegment } = await import('../tests/support/jpeg-exif.ts');
const { CHROMIUM_ARGS, chromiumPath } = await import('../tests/support/chromium.ts');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench/results');
const NEXT_BIN = join(ROOT, 'node_modules/.bin/next');
const BUILD_SOURCES = ['app', 'lib', 'components', 'instrumentation.ts', 'next.config.ts'];

const PLAN = { photo: { width: 4000, height: 3000 }, warmupRuns: 2, runs: Number(process.env.BENCH_PREP_RUNS) || 5 };
const TARGETS = { prepareMs: 400, firstLoadGzipKiB: 250 };

const log = (text) => process.stderr.write(`bench: ${text}\n`);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const verdict = (pass) => (pass ? 'PASS' : 'MISS');

async function measurePrepare(browser) {
  const server = await serveImagePrep();
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    const harness = await page.waitForFunction(() => globalThis.imagePrepHarness);
    const segment = Array.from(exifSegment({ orientation: 6, gps: true }));
    const photo = await harness.evaluateHandle(
      (h, { size, segment }) => h.makePhoto({ ...size, segments: [segment] }),
      {
        size: PLAN.photo,
        segment,
      },
    );
    // Only numbers come back: the harness's base64 copy of the output is dropped in the page.
    const run = () =>
      harness.evaluate(async (h, file) => {
        const outcome = await h.prepare(file);
        if (!outcome.ok) return outcome;
        const { file: _bytes, ...numbers } = outcome;
        return numbers;
      }, photo);
    const warmup = [];
    for (let i = 0; i < PLAN.warmupRuns; i++) warmup.push(await run());
    const runs = [];
    for (let i = 0; i < PLAN.runs; i++) runs.push(await run());
    const failed = [...warmup, ...runs].find((r) => !r.ok);
    if (failed) throw new Error(`prepareImage failed: ${failed.reason}: ${failed.message}`);
    const last = runs.at(-1);
    return {
      photo: { ...PLAN.photo, orientation: 6, gps: true, bytes: last.originalBytes },
      output: { width: last.width, height: last.height, bytes: last.sentBytes, action: last.action },
      savedBytes: last.originalBytes - last.sentBytes,
      savedFraction: 1 - last.sentBytes / last.originalBytes,
      firstRunMs: warmup[0].ms,
      ms: summarize(runs.map((r) => r.ms)),
      mainThreadStallMs: summarize(runs.map((r) => r.maxMainThreadStallMs)),
      usedWorker: page.workers().length > 0,
      bundle: server.bundle.sizes,
    };
  } finally {
    await page.close();
    await server.close();
  }
}

/** Same-origin script URLs that the page's HTML makes the browser load at once. */
function firstLoadScripts(html, origin) {
  const urls = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    // `noModule` scripts are legacy polyfills that module-capable browsers neither download nor run.
    const isScript = tag.startsWith('<script') && attr('src') && !/\snoModule\b/i.test(tag);
    const rel = attr('rel');
    const isPreload =
      tag.startsWith('<link') && (rel === 'modulepreload' || (rel === 'preload' && attr('as') === 'script'));
    const src = isScript ? attr('src') : isPreload ? attr('href') : undefined;
    if (!src) continue;
    const url = new URL(src.replaceAll('&amp;', '&'), origin);
    if (url.origin === origin) urls.add(url.href);
  }
  return [...urls];
}

async function measureFirstLoad() {
  const stale = staleBuildReason(ROOT, BUILD_SOURCES);
  if (stale?.startsWith('no production build')) throw new Error(`${stale}: run \`npm run build\` first`);
  if (stale) log(`WARNING: ${stale}; measuring the existing build anyway`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(os.tmpdir(), 'iris-bench-browser-'));
  mkdirSync(RESULTS, { recursive: true });
  const server = startNext({
    node: process.execPath,
    nextBin: NEXT_BIN,
    root: ROOT,
    port,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      IRIS_DATA_DIR: dataDir,
      DATABASE_URL: '',
      IRIS_QUIET_LOGS: '1',
      // Production without API_KEYS shows only a "not set up" notice; the chat needs a key and a signed-in browser.
      API_KEYS: 'bench-browser-key',
    },
    logFile: join(RESULTS, 'browser-server.log'),
  });
  try {
    await server.waitUntilAnswers(`${origin}/`, 60_000);
    const signIn = await fetch(`${origin}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ key: 'bench-browser-key' }),
    });
    if (!signIn.ok) throw new Error(`sign-in answered ${signIn.status}`);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const response = await fetch(`${origin}/`, { headers: { cookie } });
    const html = await response.text();
    if (!response.ok) throw new Error(`GET / answered ${response.status}`);
    // The signed-in chat page has the chat list; the sign-in or "not set up" screens do not.
    if (!html.includes('aria-label="Chat list"')) throw new Error('GET / did not serve the chat page');
    const scripts = [];
    for (const url of firstLoadScripts(html, origin)) {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      const body = Buffer.from(await res.arrayBuffer());
      scripts.push({ path: new URL(url).pathname, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
    }
    if (scripts.length === 0) throw new Error('GET / loads no script: is this the chat page?');
    scripts.sort((a, b) => b.gzipBytes - a.gzipBytes);
    return {
      stale: stale ?? null,
      buildId: readFileSync(join(ROOT, '.next/BUILD_ID'), 'utf8').trim(),
      status: response.status,
      scripts,
      totalBytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
      totalGzipBytes: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
    };
  } catch (error) {
    process.stderr.write(`\nnext start output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}\n`);
    throw error;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function grid(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))))
    .map((cells) => `  ${cells.join('   ').trimEnd()}`)
    .join('\n');
}

function renderTable(r) {
  const p = r.prepare;
  const f = r.firstLoad;
  return [
    '',
    `Iris browser benchmark, ${r.date}`,
    `  ${r.machine.cpuModel}, ${r.machine.cores} cores, Node ${r.machine.node}, ${r.browser}`,
    '',
    `prepareImage: ${p.photo.width}×${p.photo.height} JPEG (${mb(p.photo.bytes)}, Orientation 6 + GPS) → ` +
      `${p.output.width}×${p.output.height} (${mb(p.output.bytes)}, ${p.output.action}), ` +
      `${p.usedWorker ? 'in a worker' : 'on the main thread'}`,
    grid([
      ['', 'p50', 'min', 'max'],
      [`time, ms (${p.ms.n} runs after ${r.plan.warmupRuns} warm-up)`, ms(p.ms.p50), ms(p.ms.min), ms(p.ms.max)],
      [
        'longest main-thread stall, ms',
        ms(p.mainThreadStallMs.p50),
        ms(p.mainThreadStallMs.min),
        ms(p.mainThreadStallMs.max),
      ],
    ]),
    `  first run (starts the worker) ${ms(p.firstRunMs)} ms; saved ${mb(p.savedBytes)} (${(100 * p.savedFraction).toFixed(0)}%)`,
    `  code: prepareImage ${kib(p.bundle.prepareImageGzipBytes)} + worker ${kib(p.bundle.workerGzipBytes)} gzipped ` +
      '(esbuild, minified; the worker loads on first use)',
    '',
    `First-load JavaScript of / (build ${f.buildId}${f.stale ? `, STALE: ${f.stale}` : ''})`,
    grid([
      ['script', 'raw', 'gzip -9'],
      ...f.scripts.map((s) => [s.path, kib(s.bytes), kib(s.gzipBytes)]),
      [`total (${f.scripts.length} files)`, kib(f.totalBytes), kib(f.totalGzipBytes)],
    ]),
    '',
    'Targets',
    grid(r.targets.map((t) => [t.name, `${t.value.toFixed(1)} ${t.unit}`, `target ${t.target}`, verdict(t.pass)])),
    '',
  ].join('\n');
}

function renderMarkdown(r) {
  const p = r.prepare;
  const f = r.firstLoad;
  return [
    `Measured by \`node bench/browser.mjs\` on ${r.date.slice(0, 10)}: ${r.machine.cpuModel}, ${r.machine.cores} cores, ` +
      `${r.browser} headless (--disable-gpu).`,
    '',
    '| Measure | Value | Target |',
    '|---|---:|---|',
    `| prepareImage, ${p.photo.width}×${p.photo.height} JPEG (${mb(p.photo.bytes)}) → ${p.output.width}×${p.output.height}, p50 of ${p.ms.n} | ${ms(p.ms.p50)} ms (min ${ms(p.ms.min)}, max ${ms(p.ms.max)}) | ≤ ${TARGETS.prepareMs} ms **${verdict(r.targets[0].pass)}** |`,
    `| Bytes saved | ${mb(p.savedBytes)} (${(100 * p.savedFraction).toFixed(0)}%: ${mb(p.photo.bytes)} → ${mb(p.output.bytes)}) | |`,
    `| Longest main-thread stall meanwhile, p50 | ${ms(p.mainThreadStallMs.p50)} ms (${p.usedWorker ? 'worker' : 'main thread'}) | |`,
    `| First run, including worker start | ${ms(p.firstRunMs)} ms | |`,
    `| prepareImage + worker code, gzipped | ${kib(p.bundle.prepareImageGzipBytes)} + ${kib(p.bundle.workerGzipBytes)} | |`,
    `| First-load JS of \`/\`, gzipped (${f.scripts.length} files) | ${kib(f.totalGzipBytes)} (raw ${kib(f.totalBytes)}) | ≤ ${TARGETS.firstLoadGzipKiB} KiB **${verdict(r.targets[1].pass)}** |`,
    '',
    f.stale ? `Note: the build measured was stale (${f.stale}).\n` : '',
  ].join('\n');
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');

async function main() {
  const started = performance.now();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  let prepare;
  let browserVersion;
  try {
    browserVersion = `Chromium ${browser.version()}`;
    log(
      `prepareImage: ${PLAN.warmupRuns} warm-up + ${PLAN.runs} runs on a ${PLAN.photo.width}×${PLAN.photo.height} JPEG`,
    );
    prepare = await measurePrepare(browser);
  } finally {
    await browser.close();
  }
  log('first-load JavaScript: starting next start');
  const firstLoad = await measureFirstLoad();
  const { cpuModel } = machineInfo();
  const results = {
    date: new Date().toISOString(),
    machine: { cpuModel, cores: os.availableParallelism(), node: process.version },
    browser: browserVersion,
    plan: PLAN,
    prepare,
    firstLoad,
  };
  results.targets = [
    {
      name: 'prepareImage 12 MP p50',
      value: prepare.ms.p50,
      unit: 'ms',
      target: `≤ ${TARGETS.prepareMs}`,
      pass: prepare.ms.p50 <= TARGETS.prepareMs,
    },
    {
      name: 'First-load JS gzipped',
      value: firstLoad.totalGzipBytes / 1024,
      unit: 'KiB',
      target: `≤ ${TARGETS.firstLoadGzipKiB}`,
      pass: firstLoad.totalGzipBytes / 1024 <= TARGETS.firstLoadGzipKiB,
    },
  ];
  results.seconds = (performance.now() - started) / 1000;
  writeFileSync(join(RESULTS, 'browser-latest.json'), `${JSON.stringify(rounded(results), null, 2)}\n`);
  writeFileSync(join(RESULTS, 'browser-latest.md'), renderMarkdown(results));
  process.stdout.write(renderTable(results));
  log(`wrote bench/results/browser-latest.json and browser-latest.md in ${results.seconds.toFixed(0)} s`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
