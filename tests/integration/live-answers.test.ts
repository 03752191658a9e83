import { describe, expect, it } from 'vitest';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { irisUrl, newTag, upstreamRequests } from '../support/iris.ts';
import { answerText, liveClient, newChatId, readAll, readUntil } from '../support/live-answers.ts';

/** Answers that outlive the browser's request: finished and saved regardless, followed again, stopped on purpose. */

// Slow enough to act while the answer is written (about three seconds in all).
const SLOW = '[fake:chunks:15] [fake:chunk-delay:200]';
const alice = () => liveClient(irisUrl(), GATEWAY_KEYS[0]);
const bob = () => liveClient(irisUrl(), GATEWAY_KEYS[1]);

describe('an answer the browser left', () => {
  it('is finished and saved although the browser went away mid-answer, and Gemini was never cut off', async () => {
    const chat = newChatId();
    const tag = newTag();
    const controller = new AbortController();
    const response = await alice().ask(chat, `Tell me all. [tag:${tag}] ${SLOW}`, controller.signal);
    expect(response.status).toBe(200);
    const { text: partial } = await readUntil(response, (text) => text.length > 0);
    controller.abort();

    const saved = await alice().settled(chat);
    expect(saved.metadata).toMatchObject({ status: 'complete', finishReason: 'stop' });
    expect(answerText(saved).startsWith(partial)).toBe(true);
    expect(answerText(saved)).toContain('Last prompt');
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.clientAborted).toBe(false);
  });

  it('stops on an explicit Stop, saved as stopped with its partial text, and the call to Gemini ends', async () => {
    const chat = newChatId();
    const tag = newTag();
    const response = await alice().ask(chat, `Go on. [tag:${tag}] ${SLOW}`);
    const reading = await readUntil(response, (text) => text.length > 0);

    const stop = await alice().stop(chat);
    expect(stop.status).toBe(204);
    // Answered once the stop is saved, so the next message does not find the chat busy.
    const saved = await alice().answer(chat);
    expect(saved?.metadata?.status).toBe('stopped');
    expect(answerText(saved).length).toBeGreaterThan(0);
    expect(answerText(saved)).not.toContain('Last prompt');
    await expect.poll(async () => (await upstreamRequests(tag))[0]?.clientAborted).toBe(true);
    // The reader still connected is told how it ended.
    const rest = await reading.rest();
    expect(rest.chunks.findLast((c) => c.type === 'message-metadata')?.messageMetadata?.status).toBe('stopped');
    expect((await alice().ask(chat, 'Next question [fake:chunks:2]')).status).toBe(200);
  });

  it('a Stop pressed while the request is still on its way stops the answer as soon as it starts', async () => {
    const chat = newChatId();
    const pending = alice().ask(chat, `Quick, stop me. [fake:delay:300] ${SLOW}`);
    // The chat does not exist until the request has saved its question: the Stop is kept for it meanwhile.
    await new Promise((r) => setTimeout(r, 50));
    await alice().stop(chat);
    await readAll(await pending);
    const saved = await alice().settled(chat);
    expect(saved.metadata?.status).toBe('stopped');
    expect(answerText(saved)).not.toContain('Last prompt');
  });
});

describe('GET /api/chat/{id}/stream', () => {
  it('replays the running answer from its start and follows it to the end; 204 once it is done', async () => {
    const chat = newChatId();
    const first = await alice().ask(chat, `Tell me a story. ${SLOW}`);
    const { text: seen } = await readUntil(first, (text) => text.length > 0);

    const follow = await alice().follow(chat);
    expect(follow.status).toBe(200);
    expect(follow.headers.get('content-type')).toContain('text/event-stream');
    const followed = await readAll(follow);
    const saved = await alice().settled(chat);
    expect(followed.text).toBe(answerText(saved));
    expect(followed.text.startsWith(seen)).toBe(true);
    expect(followed.chunks[0]).toMatchObject({ type: 'start', messageId: saved.id });
    expect(followed.chunks.find((c) => c.type === 'finish')?.messageMetadata?.status).toBe('complete');

    const after = await alice().follow(chat);
    expect(after.status).toBe(204);
  });

  it('answers 204 for a chat with nothing running, 404 for one that does not exist', async () => {
    const chat = newChatId();
    await readAll(await alice().ask(chat, 'Short one [fake:chunks:2]'));
    expect((await alice().follow(chat)).status).toBe(204);
    expect((await alice().follow(newChatId())).status).toBe(404);
  });

  it('is the owner’s own: another key can neither follow nor stop the answer', async () => {
    const chat = newChatId();
    const response = await alice().ask(chat, `Private story. ${SLOW}`);
    const reading = await readUntil(response, (text) => text.length > 0);

    const follow = await bob().follow(chat);
    expect(follow.status).toBe(404);
    expect((await follow.json()).error.code).toBe('chat_not_found');
    const stop = await bob().stop(chat);
    expect(stop.status).toBe(404);

    await reading.rest();
    const saved = await alice().settled(chat);
    expect(saved.metadata?.status).toBe('complete');
    expect(answerText(saved)).toContain('Last prompt');
  });

  it('refuses a Stop from another site for a signed-in browser', async () => {
    const chat = newChatId();
    const response = await fetch(`${irisUrl()}/api/chat/${chat}/stream`, {
      method: 'DELETE',
      headers: { origin: 'https://evil.example', cookie: 'iris_session=whatever' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('a stream Gemini breaks off', () => {
  it('keeps the partial text and is saved as "connection lost" (interrupted), not as complete', async () => {
    const chat = newChatId();
    const live = await readAll(await alice().ask(chat, 'Cut me off. [fake:cut]'));
    expect(live.text.length).toBeGreaterThan(0);
    const end = live.chunks.find((c) => c.type === 'finish')?.messageMetadata;
    expect(end).toMatchObject({ status: 'error', finishReason: 'interrupted' });

    const saved = await alice().settled(chat);
    expect(saved.metadata).toMatchObject({ status: 'error', finishReason: 'interrupted' });
    expect(saved.metadata?.error).toMatch(/connection lost/i);
    expect(answerText(saved)).toBe(live.text);
  });
});
