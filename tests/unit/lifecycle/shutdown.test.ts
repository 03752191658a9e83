import { afterEach, describe, expect, it } from 'vitest';
import { isShuttingDown, shutdown, trackAnswer } from '@/lib/lifecycle/shutdown';
import { getSaveQueue } from '@/lib/storage/save-queue';

// Each test is its own process's shutdown: the state lives on globalThis, as it must under Next.
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('iris.lifecycle')];
  getSaveQueue().dropAll('test');
});

const quiet = { log: () => {} };
const outage = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('graceful shutdown', () => {
  it('lets running answers finish within the grace period, and stops accepting first', async () => {
    const abort = new AbortController();
    const answer = trackAnswer(abort);
    setTimeout(() => answer.end(), 200);
    let stoppedAccepting = false;
    const started = Date.now();
    const report = await shutdown({
      graceMs: 5_000,
      stopAccepting: () => {
        stoppedAccepting = true;
      },
      ...quiet,
    });
    expect(stoppedAccepting).toBe(true);
    expect(isShuttingDown()).toBe(true);
    expect(report).toMatchObject({ finished: 1, interrupted: 0 });
    expect(abort.signal.aborted).toBe(false);
    expect(answer.interrupted).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('interrupts answers still running before the deadline, waits for them to save, and ends within it', async () => {
    const abort = new AbortController();
    const answer = trackAnswer(abort);
    let savedAs: string | undefined;
    // What handle-chat does: the abort ends the stream, whose end saves the answer, then says it is done.
    abort.signal.addEventListener('abort', () =>
      setTimeout(() => {
        savedAs = answer.interrupted ? 'interrupted' : 'stopped';
        answer.end();
      }, 50),
    );
    const started = Date.now();
    const report = await shutdown({ graceMs: 1_000, ...quiet });
    const took = Date.now() - started;
    expect(report).toMatchObject({ finished: 0, interrupted: 1 });
    expect(savedAs).toBe('interrupted');
    expect(took).toBeGreaterThanOrEqual(600);
    expect(took).toBeLessThan(1_300);
  });

  it('flushes answers waiting for the database before it closes it', async () => {
    let down = true;
    const written: string[] = [];
    await getSaveQueue().save('o:c', { chatId: 'c', messageId: 'a1' }, async () => {
      if (down) throw outage();
      written.push('a1');
    });
    setTimeout(() => {
      down = false;
    }, 100);
    const report = await shutdown({ graceMs: 2_000, ...quiet });
    expect(written).toEqual(['a1']);
    expect(report).toMatchObject({ saved: 1, dropped: 0 });
  });

  it('gives up on what it cannot save at the deadline, saying so', async () => {
    await getSaveQueue().save('o:c', { chatId: 'c', messageId: 'a1' }, async () => {
      throw outage();
    });
    const started = Date.now();
    const report = await shutdown({ graceMs: 500, ...quiet });
    expect(report).toMatchObject({ saved: 0, dropped: 1 });
    expect(Date.now() - started).toBeLessThan(1_700);
  });
});
