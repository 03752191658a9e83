import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toModelMessages } from '@/lib/openai/to-model-messages';
import { expectApiError, fixture, startServer, type TestServer } from './support';

const MiB = 1024 * 1024;
const png = fixture('tiny.png');
/** Each response sends this much and then holds the connection open, so only the client can end it. */
const PART_BYTES = 36 * 16 * 1024;

let server: TestServer;
/** Per path: how much the server wrote and whether the response finished before its connection closed. */
const closed = new Map<string, Promise<{ sent: number; finished: boolean }>>();
let arrived: ServerResponse[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '';
    closed.set(
      path,
      new Promise((resolve) => res.on('close', () => resolve({ sent: sent(res), finished: res.writableFinished }))),
    );
    res.writeHead(200, { 'content-type': 'image/png' });
    // Both images start streaming only once both requests are in, so the two reads overlap for sure.
    arrived.push(res);
    if (arrived.length === 2) for (const each of arrived) stream(each);
  });
});

afterAll(async () => {
  await server.close();
});

const written = new WeakMap<ServerResponse, number>();
const sent = (res: ServerResponse) => written.get(res) ?? 0;

function stream(res: ServerResponse): void {
  const chunk = Buffer.alloc(16 * 1024, 7);
  png.forEach((byte, i) => {
    chunk[i] = byte;
  });
  const pump = () => {
    while (sent(res) < PART_BYTES && !res.destroyed) {
      written.set(res, sent(res) + chunk.byteLength);
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
  };
  pump();
}

describe('the request-wide image budget (MAX_TOTAL_IMAGE_BYTES)', () => {
  it('refuses two concurrent fetches that together pass it, and drops both connections', async () => {
    arrived = [];
    closed.clear();
    const limits = {
      maxBytes: 10 * MiB,
      maxTotalBytes: MiB,
      maxPerRequest: 16,
      fetchTimeoutMs: 10_000,
      allowPrivateAddresses: true,
    };
    const image = (path: string) => ({ type: 'image_url' as const, image_url: { url: `${server.origin}${path}` } });
    const error = await expectApiError(
      toModelMessages([{ role: 'user', content: [image('/a.png'), image('/b.png')] }], { limits }),
      { status: 413, code: 'images_too_large' },
    );
    // Either image may be the one whose chunk passed the limit; the other was aborted.
    expect(['messages[0].content[0].image_url.url', 'messages[0].content[1].image_url.url']).toContain(error.param);
    expect(error.message).toBe(
      'The images of this request add up to more than 1 MB (MAX_TOTAL_IMAGE_BYTES); send fewer or smaller images.',
    );

    const outcomes = await Promise.all(
      ['/a.png', '/b.png'].map((path) => {
        const outcome = closed.get(path);
        if (!outcome) throw new Error(`${path} was never requested`);
        return outcome;
      }),
    );
    for (const { sent, finished } of outcomes) {
      // Each alone is under the budget; neither got to finish, since the client hung up on both.
      expect(finished).toBe(false);
      expect(sent).toBeLessThanOrEqual(PART_BYTES);
    }
    expect(outcomes.reduce((sum, o) => sum + o.sent, 0)).toBeGreaterThan(MiB);
  });
});
