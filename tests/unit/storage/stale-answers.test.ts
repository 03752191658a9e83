import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages } from '@/lib/db/schema';
import { interruptAnswersLeftStreaming, longestAnswerMs } from '@/lib/lifecycle/stale-answers';
import { createChat, getChat } from '@/lib/storage/chats';
import { appendMessage } from '@/lib/storage/messages';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const config = { gemini: { apiKey: undefined, baseURL: 'http://x', maxRetries: 0, timeoutMs: 280_000 } };

describe('the longest possible answer', () => {
  it('follows UPSTREAM_TIMEOUT_MS', () => {
    expect(longestAnswerMs(config)).toBe(620_000);
    expect(longestAnswerMs({ gemini: { ...config.gemini, timeoutMs: 1_000 } })).toBe(62_000);
  });
});

describe.each(backends)('answers left streaming, on $name', (backend) => {
  const handle = useDatabase(backend);

  it('become interrupted at start-up when older than the longest answer, keeping their text; newer ones stay', async () => {
    const alice = owner();
    const chat = await createChat(handle.db, alice, { model: 'gemini-3-flash-preview' });
    await appendMessage(handle.db, alice, chat.id, { id: 'q1', role: 'user', parts: [{ type: 'text', text: 'Hi?' }] });
    await appendMessage(handle.db, alice, chat.id, {
      id: 'stale',
      role: 'assistant',
      parts: [{ type: 'text', text: 'Half an ans' }],
      status: 'streaming',
    });
    await appendMessage(handle.db, alice, chat.id, { id: 'q2', role: 'user', parts: [{ type: 'text', text: 'And?' }] });
    await appendMessage(handle.db, alice, chat.id, { id: 'fresh', role: 'assistant', parts: [], status: 'streaming' });
    await handle.db
      .update(messages)
      .set({ createdAt: sql`now() - interval '11 minutes'` })
      .where(and(eq(messages.ownerId, alice), eq(messages.id, 'stale')));

    await interruptAnswersLeftStreaming(handle.db, config);

    const stored = await getChat(handle.db, alice, chat.id);
    expect(stored?.messages.map((m) => [m.id, m.status])).toEqual([
      ['q1', 'complete'],
      ['stale', 'interrupted'],
      ['q2', 'complete'],
      ['fresh', 'streaming'],
    ]);
    expect(stored?.messages[1]?.parts).toEqual([{ type: 'text', text: 'Half an ans' }]);
  });
});
