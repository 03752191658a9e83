/**
 * Bytes shared by several reads, e.g. all images of one request. Reads charge it chunk by chunk
 * as data arrives, so concurrent readers together never buffer more than `total`.
 */
export class ByteBudget {
  readonly total: number;
  #remaining: number;

  constructor(total: number) {
    this.total = total;
    this.#remaining = total;
  }

  get remaining(): number {
    return this.#remaining;
  }

  /** Takes `bytes` if that many remain; otherwise takes nothing, since the caller is about to fail. */
  take(bytes: number): boolean {
    if (bytes > this.#remaining) return false;
    this.#remaining -= bytes;
    return true;
  }
}

export type CapExceeded = 'max' | 'budget';

export interface ReadCappedOptions {
  /** Most bytes this one body may have. */
  maxBytes: number;
  budget?: ByteBudget;
  /** The error to throw for whichever limit was passed; `max` wins when a chunk passes both. */
  onLimit: (which: CapExceeded) => Error;
  /**
   * A body that sends nothing for this long is given up on (`onIdle`'s error): a client trickling its body, or
   * stalling half-way, would otherwise hold the connection and its buffers until Node's requestTimeout (5 minutes).
   */
  idleTimeoutMs?: number;
  onIdle?: () => Error;
  /** Sees each chunk before it is kept; an error it throws ends the read like a passed limit. */
  inspect?: (chunk: Uint8Array) => void;
}

/**
 * Reads a whole body into one Buffer, counting bytes as they arrive. The moment a chunk would pass
 * a limit, the source is cancelled (for a network body that drops the connection) and nothing more
 * is pulled, so an oversized body costs at most one chunk beyond the limit.
 */
export async function readCapped(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ReadCappedOptions,
): Promise<Buffer> {
  const { next, cancel } = pullFrom(source);
  const { idleTimeoutMs } = options;
  let idle = false;
  const onIdle = () => {
    idle = true;
    return options.onIdle?.() ?? new Error(`no data for ${idleTimeoutMs} ms`);
  };
  const pull = idleTimeoutMs === undefined ? next : () => withIdleTimeout(next(), idleTimeoutMs, onIdle);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await pull();
      if (done) break;
      const exceeded: CapExceeded | undefined =
        total + value.byteLength > options.maxBytes
          ? 'max'
          : options.budget && !options.budget.take(value.byteLength)
            ? 'budget'
            : undefined;
      if (exceeded) throw options.onLimit(exceeded);
      options.inspect?.(value);
      chunks.push(value);
      total += value.byteLength;
    }
  } catch (error) {
    const cancelling = cancel(error);
    // A stalled network body may not settle its cancel until the connection closes, which is what the caller's
    // answer does; waiting for it first would mean never answering.
    if (!idle) await cancelling;
    throw error;
  }
  return join(chunks, total);
}

async function withIdleTimeout<T>(pending: Promise<T>, timeoutMs: number, onIdle: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onIdle()), timeoutMs);
  });
  try {
    return await Promise.race([pending, idle]);
  } finally {
    clearTimeout(timer);
  }
}

interface Puller {
  next(): Promise<IteratorResult<Uint8Array>>;
  cancel(reason: unknown): Promise<void>;
}

function pullFrom(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Puller {
  // Duck-typed: a body may come from another copy of the streams implementation (undici's, a test's).
  if ('getReader' in source && typeof source.getReader === 'function') {
    const reader = source.getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      cancel: (reason) => reader.cancel(reason).catch(() => {}),
    };
  }
  const iterator = source[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    // return() is how an async iterator is told to stop and release what it holds (a Node stream is destroyed).
    cancel: async () => {
      await iterator.return?.()?.catch(() => {});
    },
  };
}

/**
 * allocUnsafeSlow: a result under 4 KB from Buffer.concat would be a view into Node's shared pool,
 * keeping other data alive and reachable through `.buffer`. Every byte is written, so nothing is exposed.
 */
function join(chunks: Uint8Array[], total: number): Buffer {
  const joined = Buffer.allocUnsafeSlow(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // The chunks are garbage as soon as they are copied; don't let the array keep them alive any longer.
  chunks.length = 0;
  return joined;
}
