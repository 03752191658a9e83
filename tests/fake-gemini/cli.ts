/**
 * Runs the fake Gemini standalone: `node tests/fake-gemini/cli.ts [--port N] [--host H]`.
 * Env: FAKE_GEMINI_PORT (default 8788), FAKE_GEMINI_API_KEYS (comma-separated, default fake-gemini-key).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_API_KEYS, startFakeGemini } from './server.ts';

const DEFAULT_PORT = 8788;

const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' } },
  strict: true,
});

const portText = values.port ?? process.env.FAKE_GEMINI_PORT ?? String(DEFAULT_PORT);
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`fake-gemini: invalid port "${portText}"`);
  process.exit(2);
}
const apiKeys = (process.env.FAKE_GEMINI_API_KEYS ?? '')
  .split(',')
  .map((k) => k.trim())
  .filter((k) => k !== '');

const fake = await startFakeGemini({
  port,
  host: values.host ?? '127.0.0.1',
  apiKeys: apiKeys.length > 0 ? apiKeys : [...DEFAULT_API_KEYS],
});
console.log(fake.baseURL);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
