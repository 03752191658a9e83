import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { RecordedRequest } from '../fake-gemini/server.ts';
import { GATEWAY_KEYS, PASSTHROUGH_GEMINI_KEY, SERVER_GEMINI_KEY } from '../support/constants.ts';
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

describe('secrets and content stay out of logs and responses', () => {
  it('logs neither keys nor prompts nor images', async () => {
    const marker = `confidential-prompt-${newTag()}`;
    await postChat({ model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: `${marker} [fake:500]` }] });
    await postChat({ model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: marker }] });
    await postChat(
      { model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: marker }] },
      { key: PASSTHROUGH_GEMINI_KEY },
    );
    await postChat(
      { model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: marker }] },
      { key: 'wrong-key-xyz' },
    );
    const response = await postChat({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: `${marker} [fake:403]` }],
    });
    const body = await response.text();
    for (const secret of [SERVER_GEMINI_KEY, PASSTHROUGH_GEMINI_KEY, ...GATEWAY_KEYS])
      expect(body).not.toContain(secret);

    // Give the server a moment to flush its log.
    await new Promise((r) => setTimeout(r, 300));
    const log = readFileSync(inject('serverLogPath'), 'utf8');
    expect(log).toContain('"event":"request"');
    for (const secret of [SERVER_GEMINI_KEY, PASSTHROUGH_GEMINI_KEY, 'wrong-key-xyz', ...GATEWAY_KEYS, marker]) {
      expect(log).not.toContain(secret);
    }
  });
});
