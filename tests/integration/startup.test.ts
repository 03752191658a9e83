import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';

/** How the production server behaves when it is started with a bad or incomplete environment. */

const root = path.resolve(import.meta.dirname, '../..');

function startServer(env: Record<string, string>, port: number) {
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('start-up', () => {
  it('refuses to start with an invalid variable and names it', async () => {
    const server = startServer({ MAX_IMAGE_BYTES: 'lots', API_KEYS: 'k' }, await freePort());
    const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    if (code === 'still running') server.child.kill('SIGKILL');
    expect(code).toBe(1);
    expect(server.output()).toContain('MAX_IMAGE_BYTES');
    expect(server.output()).toContain('must be a positive whole number');
  });

  it('in production without API_KEYS, warns at start and refuses every call with a message for the operator', async () => {
    const port = await freePort();
    const server = startServer({ GOOGLE_GENERATIVE_AI_API_KEY: 'x' }, port);
    try {
      let response: Response | undefined;
      for (let i = 0; i < 100 && !response; i++) {
        response = await fetch(`http://127.0.0.1:${port}/v1/models`, {
          headers: { authorization: 'Bearer guess' },
        }).catch(() => undefined);
        if (!response) await new Promise((r) => setTimeout(r, 200));
      }
      expect(response?.status).toBe(401);
      const body = await response?.json();
      expect(body.error.code).toBe('gateway_keys_not_configured');
      expect(body.error.message).toContain('API_KEYS');
      expect(server.output()).toContain('API_KEYS is not set');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
