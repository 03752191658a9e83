import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeGemini } from '../fake-gemini/server.ts';
import { makePng } from '../support/png.ts';
import { startIris } from '../support/server-process.ts';

/** How the production server behaves across starts: a bad environment, a missing key list, a restart. */

describe('start-up', () => {
  it('refuses to start with an invalid variable and names it', async () => {
    const server = await startIris({ MAX_IMAGE_BYTES: 'lots', API_KEYS: 'k' });
    const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    if (code === 'still running') await server.stop();
    expect(code).toBe(1);
    expect(server.output()).toContain('MAX_IMAGE_BYTES');
    expect(server.output()).toContain('must be a positive whole number');
  });

  it('in production without API_KEYS, warns at start and refuses every call with a message for the operator', async () => {
    const server = await startIris({
      GOOGLE_GENERATIVE_AI_API_KEY: 'x',
      IRIS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'iris-')),
    });
    try {
      await server.ready();
      const response = await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer guess' } });
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.error.code).toBe('gateway_keys_not_configured');
      expect(body.error.message).toContain('API_KEYS');
      expect(server.output()).toContain('API_KEYS is not set');
    } finally {
      await server.stop();
    }
  });

  it('answers /api/health 200 once its database is ready, and 503 database_unavailable while it cannot be reached', async () => {
    const healthy = await startIris({
      API_KEYS: 'health-key',
      IRIS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'iris-')),
    });
    // Nothing listens on port 9 of this machine: the database is unreachable.
    const unreachable = await startIris({ API_KEYS: 'health-key', DATABASE_URL: 'postgres://iris@127.0.0.1:9/iris' });
    try {
      await Promise.all([healthy.ready(), unreachable.ready()]);
      const ok = await fetch(`${healthy.url}/api/health`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: 'ok', database: 'ok' });
      expect(ok.headers.get('cache-control')).toBe('no-store');

      const down = await fetch(`${unreachable.url}/api/health`);
      expect(down.status).toBe(503);
      expect((await down.json()).error.code).toBe('database_unavailable');
    } finally {
      await Promise.all([healthy.stop(), unreachable.stop()]);
    }
    // Two servers start, one creating its embedded database: slow on a busy machine.
  }, 90_000);

  it('keeps a signed-in conversation with its images across a restart (embedded database on disk)', async () => {
    const fake = await startFakeGemini({ apiKeys: ['restart-gemini-key'] });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'iris-restart-'));
    const env = {
      API_KEYS: 'restart-key',
      GOOGLE_GENERATIVE_AI_API_KEY: 'restart-gemini-key',
      GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL,
      IRIS_DATA_DIR: dataDir,
    };
    const png = makePng(5, 7, 42);
    let cookie = '';
    let fileUrl = '';
    try {
      const first = await startIris(env);
      try {
        await first.ready();
        const origin = first.url;
        const signIn = await fetch(`${origin}/api/auth/sign-in`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: JSON.stringify({ key: 'restart-key' }),
        });
        cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
        const upload = await fetch(`${origin}/api/files`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'image/png' },
          body: new Uint8Array(png),
        });
        fileUrl = (await upload.json()).url;
        const chat = await fetch(`${origin}/api/chat`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'kept',
            message: {
              id: 'q1',
              role: 'user',
              parts: [
                { type: 'file', mediaType: 'image/png', url: fileUrl },
                { type: 'text', text: 'Remember this picture' },
              ],
            },
          }),
        });
        expect(await chat.text()).toContain('[DONE]');
      } finally {
        await first.stop();
      }

      const second = await startIris(env);
      try {
        await second.ready();
        // The same browser cookie still works: its session and the secret that seals it are kept in the database.
        const chat = await (await fetch(`${second.url}/api/chats/kept`, { headers: { cookie } })).json();
        expect(chat.title).toBe('Remember this picture');
        expect(
          chat.messages.map((m: { role: string; metadata: { status: string } }) => [m.role, m.metadata.status]),
        ).toEqual([
          ['user', 'complete'],
          ['assistant', 'complete'],
        ]);
        expect(chat.messages[0].parts).toContainEqual({ type: 'file', mediaType: 'image/png', url: fileUrl });
        expect(chat.messages[1].parts[0].text).toContain('Fake Gemini received 1 image');
        const image = await fetch(`${second.url}${fileUrl}`, { headers: { cookie } });
        expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
        // A second key sees none of it.
        const other = await fetch(`${second.url}/api/chats/kept`, { headers: { authorization: 'Bearer nope' } });
        expect(other.status).toBe(401);
      } finally {
        await second.stop();
      }
    } finally {
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
