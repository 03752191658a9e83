// `npm run demo`: Iris in `next dev`, answered by the fake Gemini instead of Google, so it runs with no network
// and no API key. Env: PORT (Iris, default 3000), FAKE_GEMINI_PORT (default 8788).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startFakeGemini } from '../tests/fake-gemini/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const nextBin = fileURLToPath(new URL('../node_modules/.bin/next', import.meta.url));
const DEMO_KEY = 'demo-key';

function port(name, fallback) {
  const text = process.env[name]?.trim() || String(fallback);
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    console.error(`demo: ${name}="${text}" is not a port number`);
    process.exit(2);
  }
  return n;
}

const fakePort = port('FAKE_GEMINI_PORT', 8788);
const appPort = port('PORT', 3000);

let fake;
try {
  fake = await startFakeGemini({ port: fakePort, host: '127.0.0.1', apiKeys: [DEMO_KEY] });
} catch (error) {
  const hint = error?.code === 'EADDRINUSE' ? ' (in use; set FAKE_GEMINI_PORT to another port)' : '';
  console.error(`demo: cannot start the fake Gemini on 127.0.0.1:${fakePort}${hint}: ${error?.message ?? error}`);
  process.exit(1);
}

const rule = '='.repeat(100);
console.log(
  [
    rule,
    `  OFFLINE DEMO: answers come from a fake Gemini on 127.0.0.1:${fakePort}, not from Google`,
    `  Iris: http://localhost:${appPort}    fake Gemini: ${fake.baseURL} (key "${DEMO_KEY}")`,
    '  Answers describe what arrived (images with sizes and SHA-256). Put a directive in a prompt to play a',
    '  failure, e.g. [fake:429], [fake:503], [fake:safety], [fake:thinking], [fake:chunk-delay:300]',
    '  (all of them: tests/fake-gemini/directives.ts).',
    rule,
  ].join('\n'),
);

// process.execPath keeps `next` on the Node that npm chose for this project, not whatever `node` is on PATH.
const child = spawn(process.execPath, [nextBin, 'dev', '--port', String(appPort)], {
  cwd: root,
  stdio: 'inherit',
  env: {
    // Offline means offline: Next's telemetry would otherwise try to phone home.
    NEXT_TELEMETRY_DISABLED: '1',
    ...process.env,
    GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
    GOOGLE_GENERATIVE_AI_API_KEY: DEMO_KEY,
    IRIS_OFFLINE_DEMO: '1',
  },
});

let signalled = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    signalled++;
    // A second Ctrl-C means "now": do not wait for next dev to shut down gracefully.
    if (child.exitCode === null && child.signalCode === null) child.kill(signalled > 1 ? 'SIGKILL' : signal);
  });
}

child.on('error', async (error) => {
  console.error(`demo: cannot start next dev (${nextBin}): ${error.message}`);
  await fake.close();
  process.exit(1);
});

child.on('exit', async (code, signal) => {
  await fake.close();
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
