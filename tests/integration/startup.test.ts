import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('keeps chats and images across a restart (embedded database on disk)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'iris-restart-'));
    const env = { API_KEYS: 'restart-key', GOOGLE_GENERATIVE_AI_API_KEY: 'x', IRIS_DATA_DIR: dataDir };
    const headers = { authorization: 'Bearer restart-key' };
    const png = makePng(5, 7, 42);
    try {
      const first = await startIris(env);
      let fileUrl: string;
      try {
        await first.ready();
        const upload = await fetch(`${first.url}/api/files`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'image/png' },
          body: new Uint8Array(png),
        });
        fileUrl = (await upload.json()).url;
        const created = await fetch(`${first.url}/api/chats`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'kept', title: 'Before the restart', settings: { temperature: 0.4 } }),
        });
        expect(created.status).toBe(201);
      } finally {
        await first.stop();
      }

      const second = await startIris(env);
      try {
        await second.ready();
        const chat = await (await fetch(`${second.url}/api/chats/kept`, { headers })).json();
        expect(chat).toMatchObject({ title: 'Before the restart', settings: { temperature: 0.4 } });
        const image = await fetch(`${second.url}${fileUrl}`, { headers });
        expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
