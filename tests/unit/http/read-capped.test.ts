import { describe, expect, it, vi } from 'vitest';
import { ByteBudget, type CapExceeded, readCapped } from '@/lib/http/read-capped';

class LimitError extends Error {
  constructor(readonly which: CapExceeded) {
    super(`passed ${which}`);
  }
}
const onLimit = (which: CapExceeded) => new LimitError(which);

/**
 * A stream of `count` chunks of `size` bytes that makes each chunk only when asked: with a high-water
 * mark of 0 nothing is read ahead, so `pulls` is exactly how many chunks the reader asked for.
 */
function pulledStream(count: number, size: number) {
  const state = { pulls: 0, cancel: vi.fn() };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulls === count) return controller.close();
        state.pulls++;
        controller.enqueue(new Uint8Array(size).fill(state.pulls));
      },
      cancel: state.cancel,
    },
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );
  return { stream, state };
}

async function rejection(promise: Promise<unknown>): Promise<LimitError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(LimitError);
  return outcome as LimitError;
}

describe('readCapped', () => {
  it('joins the chunks into one Buffer that owns its memory', async () => {
    const { stream } = pulledStream(3, 10);
    const bytes = await readCapped(stream, { maxBytes: 100, onLimit });
    expect(bytes.byteLength).toBe(30);
    expect([bytes[0], bytes[10], bytes[29]]).toEqual([1, 2, 3]);
    // Not a view into Node's shared pool, which small Buffers otherwise are.
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(30);
  });

  it('allows a body of exactly maxBytes', async () => {
    const { stream } = pulledStream(4, 25);
    expect((await readCapped(stream, { maxBytes: 100, onLimit })).byteLength).toBe(100);
  });

  it('cancels the source and pulls nothing more once a chunk passes maxBytes', async () => {
    const { stream, state } = pulledStream(10, 40);
    const error = await rejection(readCapped(stream, { maxBytes: 100, onLimit }));
    expect(error.which).toBe('max');
    // Chunk 3 takes it to 120 bytes: the reader stops there, 7 chunks short of the end.
    expect(state.pulls).toBe(3);
    expect(state.cancel).toHaveBeenCalledTimes(1);
    expect(state.cancel).toHaveBeenCalledWith(error);
  });

  it('stops an async iterable the same way', async () => {
    let yielded = 0;
    let finished = false;
    async function* source() {
      try {
        for (; yielded < 10; ) {
          yielded++;
          yield new Uint8Array(40);
        }
      } finally {
        finished = true;
      }
    }
    const error = await rejection(readCapped(source(), { maxBytes: 100, onLimit }));
    expect(error.which).toBe('max');
    expect(yielded).toBe(3);
    expect(finished).toBe(true);
  });

  it('reads an async iterable to the end', async () => {
    async function* source() {
      yield new Uint8Array([1, 2]);
      yield new Uint8Array([3]);
    }
    expect([...(await readCapped(source(), { maxBytes: 3, onLimit }))]).toEqual([1, 2, 3]);
  });

  it('charges a budget chunk by chunk, allowing exactly all of it', async () => {
    const budget = new ByteBudget(100);
    const { stream } = pulledStream(4, 25);
    await readCapped(stream, { maxBytes: 1000, budget, onLimit });
    expect(budget.remaining).toBe(0);
  });

  it('shares a budget between readers: what one took, the other cannot', async () => {
    const budget = new ByteBudget(100);
    const first = pulledStream(3, 20);
    await readCapped(first.stream, { maxBytes: 1000, budget, onLimit });
    expect(budget.remaining).toBe(40);

    const second = pulledStream(5, 20);
    const error = await rejection(readCapped(second.stream, { maxBytes: 1000, budget, onLimit }));
    expect(error.which).toBe('budget');
    expect(second.state.pulls).toBe(3);
    expect(second.state.cancel).toHaveBeenCalledTimes(1);
    // The chunk that did not fit took nothing.
    expect(budget.remaining).toBe(0);
  });

  it('lets concurrent readers together take no more than the budget', async () => {
    const budget = new ByteBudget(100);
    const a = pulledStream(4, 20);
    const b = pulledStream(4, 20);
    const outcomes = await Promise.allSettled([
      readCapped(a.stream, { maxBytes: 1000, budget, onLimit }),
      readCapped(b.stream, { maxBytes: 1000, budget, onLimit }),
    ]);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as LimitError] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.which === 'budget')).toBe(true);
    // Everything pulled was either charged or is the one chunk per refused reader that did not fit.
    const charged = 100 - budget.remaining;
    expect(charged).toBeLessThanOrEqual(100);
    expect((a.state.pulls + b.state.pulls) * 20).toBe(charged + refused.length * 20);
  });

  it('reports maxBytes when a chunk passes both limits', async () => {
    const { stream } = pulledStream(1, 50);
    const error = await rejection(readCapped(stream, { maxBytes: 10, budget: new ByteBudget(10), onLimit }));
    expect(error.which).toBe('max');
  });

  it("passes on the source's own error", async () => {
    const failure = new Error('connection reset');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(5));
        controller.error(failure);
      },
    });
    await expect(readCapped(stream, { maxBytes: 100, onLimit })).rejects.toBe(failure);
  });
});
