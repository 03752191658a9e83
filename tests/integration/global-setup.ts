import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFakeGemini } from '../fake-gemini/server.ts';
import { GATEWAY_KEYS, PASSTHROUGH_GEMINI_KEY, SERVER_GEMINI_KEY, TEST_LIMITS } from '../support/constants.ts';
import { freePort } from '../support/free-port.ts';
import { makePng } from '../support/png.ts';

/**
 * Integration tests talk to the production build over real HTTP, and the build talks to a fake Gemini
 * over real HTTP: the real @ai-sdk/google runs in between, nothing is mocked.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '../..');
  // NEXT_DIST_DIR (read by next.config.ts) lets a second build be tested beside the main one.
  if (!existsSync(path.join(root, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('No production build found: run `npm run build` before the integration tests (npm test does).');
  }
  // The caller's own key stands for one created before Google's 2026 deprecations, the server's for a new one.
  const fake = await startFakeGemini({ apiKeys: [SERVER_GEMINI_KEY], legacyApiKeys: [PASSTHROUGH_GEMINI_KEY] });
  const port = await freePort();
  const logDir = path.join(root, 'test-results');
  mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, 'integration-server.log');
  // A fresh embedded database per run, so tests start from empty and leave nothing behind.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'iris-it-'));
  const log = createWriteStream(logPath);

  const server = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
      GOOGLE_GENERATIVE_AI_API_KEY: SERVER_GEMINI_KEY,
      API_KEYS: GATEWAY_KEYS.join(','),
      GEMINI_KEY_PASSTHROUGH: 'true',
      IMAGE_FETCH_ALLOW_PRIVATE: 'true',
      // Every test here comes from 127.0.0.1; the throttle's own tests run their own server with the default.
      AUTH_FREE_FAILURES: '1000',
      MAX_IMAGE_BYTES: String(TEST_LIMITS.maxImageBytes),
      MAX_REQUEST_BYTES: String(TEST_LIMITS.maxRequestBytes),
      MAX_IMAGES_PER_REQUEST: String(TEST_LIMITS.maxImagesPerRequest),
      IMAGE_FETCH_TIMEOUT_MS: String(TEST_LIMITS.imageFetchTimeoutMs),
      UPSTREAM_TIMEOUT_MS: String(TEST_LIMITS.upstreamTimeoutMs),
      STREAM_HEARTBEAT_MS: String(TEST_LIMITS.heartbeatMs),
      MODELS_CACHE_TTL_MS: String(TEST_LIMITS.modelsCacheTtlMs),
      IRIS_DATA_DIR: dataDir,
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const irisUrl = `http://127.0.0.1:${port}`;
  await waitForServer(irisUrl, server);
  await warmUp(irisUrl);

  project.provide('irisUrl', irisUrl);
  project.provide('fakeGeminiOrigin', fake.origin);
  project.provide('serverLogPath', logPath);

  return async () => {
    await stop(server);
    log.end();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/**
 * The first request to each route loads its code, which on a busy 2-core machine can take seconds and eat into the
 * tests' short upstream timeout; one request per route first keeps that out of every test's timing.
 */
async function warmUp(irisUrl: string): Promise<void> {
  const headers = { authorization: `Bearer ${GATEWAY_KEYS[0]}`, 'content-type': 'application/json' };
  const image = `data:image/png;base64,${makePng(8, 8, 1).toString('base64')}`;
  const requests = [
    fetch(`${irisUrl}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: 'gemini-3.8-flash',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'warm-up' },
              { type: 'image_url', image_url: { url: image } },
            ],
          },
        ],
      }),
    }),
    fetch(`${irisUrl}/v1/embeddings`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'gemini-embedding-001', input: ['warm-up', 'warm-up'] }),
    }),
    fetch(`${irisUrl}/v1/models`, { headers }),
    fetch(`${irisUrl}/api/chats`, { headers }),
  ];
  await Promise.allSettled(requests.map((request) => request.then((response) => response.arrayBuffer())));
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`next start exited with ${child.exitCode}; see test-results/integration-server.log`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('next start did not answer within 60 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

declare module 'vitest' {
  export interface ProvidedContext {
    irisUrl: string;
    fakeGeminiOrigin: string;
    serverLogPath: string;
  }
}
