import type { Publisher, Subscriber } from 'resumable-stream/generic';

/**
 * What resumable-stream needs from Redis, kept in this process: with one instance every reader of an answer is
 * here, so a Map of keys and a table of channel listeners do what Redis does across instances.
 */
export function inProcessPubSub(): { publisher: Publisher; subscriber: Subscriber } {
  const values = new Map<string, { value: string; expiresAt: number }>();
  const listeners = new Map<string, Set<(message: string) => void>>();

  const read = (key: string): string | null => {
    const entry = values.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      values.delete(key);
      return null;
    }
    return entry.value;
  };
  const write = (key: string, value: string, seconds = 24 * 60 * 60) => {
    // Expired entries go as new ones come, so a long-running process does not keep every answer's key.
    if (values.size > 1_000) for (const k of values.keys()) read(k);
    values.set(key, { value, expiresAt: Date.now() + seconds * 1_000 });
  };

  const publisher: Publisher = {
    connect: async () => undefined,
    async publish(channel, message) {
      const callbacks = [...(listeners.get(channel) ?? [])];
      // Delivered on a later tick, as over a socket: a publisher never runs its listeners in its own call.
      for (const callback of callbacks) setImmediate(() => callback(message));
      return callbacks.length;
    },
    async set(key, value, options) {
      write(key, value, options?.EX);
      return 'OK';
    },
    get: async (key) => read(key),
    async incr(key) {
      const current = read(key);
      const next = current === null ? 1 : Number(current) + 1;
      if (!Number.isInteger(next)) throw new Error('ERR value is not an integer or out of range');
      write(key, String(next));
      return next;
    },
  };
  const subscriber: Subscriber = {
    connect: async () => undefined,
    async subscribe(channel, callback) {
      const set = listeners.get(channel) ?? new Set();
      set.add(callback);
      listeners.set(channel, set);
    },
    async unsubscribe(channel) {
      listeners.delete(channel);
    },
  };
  return { publisher, subscriber };
}
