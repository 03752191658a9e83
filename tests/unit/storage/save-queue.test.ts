import { describe, expect, it } from 'vitest';
import { SaveQueue } from '@/lib/storage/save-queue';

/** A write that fails like an outage while `down` says so. */
function database() {
  const state = { down: true, written: [] as string[] };
  const write = (what: string) => async () => {
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    state.written.push(what);
  };
  return { state, write };
}

function queue(options: ConstructorParameters<typeof SaveQueue>[0] = {}) {
  const events: Record<string, unknown>[] = [];
  const q = new SaveQueue({ baseDelayMs: 10, maxDelayMs: 40, log: (event) => events.push(event), ...options });
  return { q, events };
}

const label = (messageId: string) => ({ chatId: 'chat-1', messageId });
const until = async (condition: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the queue of answers waiting for the database', () => {
  it('writes at once when the database answers', async () => {
    const db = database();
    db.state.down = false;
    const { q, events } = queue();
    expect(await q.save('o:c', label('a1'), db.write('a1'))).toBe('saved');
    expect(db.state.written).toEqual(['a1']);
    expect(q.pending).toBe(0);
    expect(events).toEqual([]);
  });

  it('keeps an answer through an outage, retrying with backoff, and writes it once the database is back', async () => {
    const db = database();
    let attempts = 0;
    const counted = () => {
      attempts += 1;
      return db.write('a1')();
    };
    const { q, events } = queue();
    expect(await q.save('o:c', label('a1'), counted)).toBe('queued');
    expect(q.pending).toBe(1);
    await until(() => attempts >= 3);
    expect(db.state.written).toEqual([]);
    db.state.down = false;
    await until(() => db.state.written.length === 1);
    expect(q.pending).toBe(0);
    expect(events.map((e) => e.event)).toEqual(['answer_save_queued', 'answer_saved_late']);
    expect(events[1]).toMatchObject({ chatId: 'chat-1', messageId: 'a1' });
  });

  it('keeps a chat in order: a later answer waits behind an earlier one, other chats do not', async () => {
    const db = database();
    const { q } = queue();
    await q.save('o:c', label('a1'), db.write('a1'));
    db.state.down = false;
    // The database is back, but a1 is still waiting for its retry: a2 must not overtake it.
    expect(await q.save('o:c', label('a2'), db.write('a2'))).toBe('queued');
    expect(await q.save('o:other', { chatId: 'chat-2', messageId: 'b1' }, db.write('b1'))).toBe('saved');
    await until(() => db.state.written.length === 3);
    expect(db.state.written).toEqual(['b1', 'a1', 'a2']);
  });

  it('does not retry what an outage did not cause', async () => {
    const { q } = queue();
    const bug = async () => {
      throw new TypeError('a bug');
    };
    await expect(q.save('o:c', label('a1'), bug)).rejects.toThrow('a bug');
    expect(q.pending).toBe(0);
  });

  it('is bounded: past maxPending an answer is dropped and logged by ids, never by content', async () => {
    const db = database();
    const { q, events } = queue({ maxPending: 2, baseDelayMs: 60_000 });
    expect(await q.save('o:1', label('a1'), db.write('secret answer one'))).toBe('queued');
    expect(await q.save('o:2', label('a2'), db.write('secret answer two'))).toBe('queued');
    expect(await q.save('o:3', label('a3'), db.write('secret answer three'))).toBe('dropped');
    expect(q.pending).toBe(2);
    expect(events.at(-1)).toMatchObject({ event: 'answer_save_dropped', reason: 'queue_full', messageId: 'a3' });
    expect(JSON.stringify(events)).not.toContain('secret');
    q.dropAll('test');
  });

  it('flushes on shutdown within the deadline and logs what it could not write', async () => {
    const db = database();
    const { q, events } = queue({ baseDelayMs: 60_000 });
    await q.save('o:1', label('a1'), db.write('a1'));
    await q.save('o:2', { chatId: 'chat-2', messageId: 'b1' }, db.write('b1'));
    setTimeout(() => {
      db.state.down = false;
    }, 100);
    // The database comes back during the flush: both are written well before the deadline.
    const started = Date.now();
    expect(await q.flush(Date.now() + 2_000)).toEqual({ saved: 2, dropped: 0 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(db.state.written.sort()).toEqual(['a1', 'b1']);

    db.state.down = true;
    await q.save('o:1', label('a2'), db.write('a2'));
    const cut = Date.now();
    expect(await q.flush(Date.now() + 300)).toEqual({ saved: 0, dropped: 1 });
    expect(Date.now() - cut).toBeLessThan(800);
    expect(events.at(-1)).toMatchObject({ event: 'answer_save_dropped', reason: 'shutdown_deadline', messageId: 'a2' });
  });
});
