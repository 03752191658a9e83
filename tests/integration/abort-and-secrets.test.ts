import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { RecordedRequest } from '../fake-gemini/server.ts';
import { GATEWAY_KEYS, PASSTHROUGH_GEMINI_KEY, SERVER_GEMINI_KEY } from '../support/constants.ts';
import { startImageServer } from '../support/image-server.ts';
import { newTag, openai, postChat, upstreamRequests } from '../support/iris.ts';

async function waitForUpstreamClose(tag: string, timeoutMs: number): Promise<RecordedRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [record] = await upstreamRequests(tag);
    if (record?.clientAborted) return record;
    if (Date.now() > deadline) throw new Error(`upstream connection for ${tag} still open: ${JSON.stringify(record)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('abort propagation', () => {
  it('closes the upstream stream within 2 s of the client hanging up mid-stream', async () => {
    const tag = newTag();
    const controller = new AbortController();
    const stream = await openai().chat.completions.create(
      {
        model: 'gemini-3-flash-preview',
        stream: true,
        messages: [{ role: 'user', content: `long answer [tag:${tag}] [fake:chunks:20] [fake:chunk-delay:500]` }],
      },
      { signal: controller.signal },
    );
    let abortedAt = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) {
        abortedAt = Date.now();
        controller.abort();
      }
    }
    const record = await waitForUpstreamClose(tag, 2_000);
    expect(record.finishedAt).toBeNull();
    expect((record.closedAt ?? 0) - abortedAt).toBeLessThan(2_000);
  });

  it('closes the upstream request when a non-streaming caller gives up', async () => {
    const tag = newTag();
    const controller = new AbortController();
    const pending = postChat(
      { model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: `wait [tag:${tag}] [fake:hang]` }] },
      { signal: controller.signal },
    ).catch((error: unknown) => error);
    // Let the request reach the fake before hanging up.
    for (let i = 0; i < 40 && (await upstreamRequests(tag)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    const abortedAt = Date.now();
    await pending;
    const record = await waitForUpstreamClose(tag, 2_000);
    expect((record.closedAt ?? 0) - abortedAt).toBeLessThan(2_000);
  });
});

describe('abort propagation, continued', () => {
  it('stops fetching images when the caller hangs up, and logs it as the client’s doing', async () => {
    const images = await startImageServer();
    try {
      images.hang('/slow.png');
      const controller = new AbortController();
      const pending = postChat(
        {
          model: 'gemini-3-flash-preview',
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: images.url('/slow.png') } }] }],
        },
        { signal: controller.signal },
      ).catch((error: unknown) => error);
      await new Promise((r) => setTimeout(r, 300));
      controller.abort();
      await pending;
      await new Promise((r) => setTimeout(r, 300));
      expect(images.openConnections()).toBe(0);
    } finally {
      await images.close();
    }
  });

  it('never logs a 500 or an unexpected error, whatever the tests above did', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const log = readFileSync(inject('serverLogPath'), 'utf8');
    expect(log).toContain('"status":499');
    expect(log).not.toContain('"status":500');
    expect(log).not.toContain('unexpected_error');
  });
});

describe('secrets and content stay out of logs and responses', () => {
  it('logs neither keys nor prompts nor images', async () => {
    const marker = `confidential-prompt-${newTag()}`;
    const ask = (content: string, stream = false) => ({
      model: 'gemini-3-flash-preview',
      stream,
      messages: [{ role: 'user', content }],
    });
    const responses = await Promise.all([
      postChat(ask(`${marker} [fake:500]`)),
      postChat(ask(marker)),
      postChat(ask(marker), { key: PASSTHROUGH_GEMINI_KEY }),
      postChat(ask(`${marker} [fake:cut]`, true), { key: PASSTHROUGH_GEMINI_KEY }),
      postChat(ask(`${marker} [fake:400]`), { key: PASSTHROUGH_GEMINI_KEY }),
      postChat(ask(marker), { key: 'wrong-key-xyz' }),
      postChat(ask(`${marker} [fake:403]`)),
      postChat(ask(`${marker} [fake:429]`, true)),
    ]);
    const bodies = await Promise.all(responses.map((r) => r.text()));
    for (const body of bodies) {
      for (const secret of [SERVER_GEMINI_KEY, PASSTHROUGH_GEMINI_KEY, ...GATEWAY_KEYS])
        expect(body).not.toContain(secret);
    }
    expect(bodies.some((b) => b.includes('"error"'))).toBe(true);

    // Give the server a moment to flush its log.
    await new Promise((r) => setTimeout(r, 300));
    const log = readFileSync(inject('serverLogPath'), 'utf8');
    expect(log).toContain('"event":"request"');
    for (const secret of [SERVER_GEMINI_KEY, PASSTHROUGH_GEMINI_KEY, 'wrong-key-xyz', ...GATEWAY_KEYS, marker]) {
      expect(log).not.toContain(secret);
    }
  });
});
