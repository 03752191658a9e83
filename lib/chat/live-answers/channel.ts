import type { Publisher, Subscriber } from 'resumable-stream/generic';
import { inProcessPubSub } from '@/lib/chat/live-answers/in-process-pubsub';
import { processState } from '@/lib/chat/live-answers/process-state';
import { getRedis, type Redis, redisConfigured, warnRedisUnavailable } from '@/lib/redis/client';

/**
 * Where running answers meet their readers and their Stop: Redis when REDIS_URL is set (every instance sees every
 * answer), else this process. While Redis is down an answer falls back to this process, so it still finishes and
 * is saved; only following it from another instance is lost.
 */
export interface LiveChannel {
  kind: 'redis' | 'in-process';
  publisher: Publisher;
  subscriber: Subscriber;
}

const state = processState('channel', () => ({
  local: { kind: 'in-process', ...inProcessPubSub() } as LiveChannel,
  redis: undefined as Promise<LiveChannel> | undefined,
}));

export function inProcessChannel(): LiveChannel {
  return state.local;
}

/** The channel for a new answer, or for finding one: Redis if configured and reachable, else this process. */
export async function liveChannel(): Promise<LiveChannel> {
  if (!redisConfigured()) return inProcessChannel();
  try {
    state.redis ??= openRedisChannel().catch((error) => {
      state.redis = undefined;
      throw error;
    });
    return await state.redis;
  } catch (error) {
    warnRedisUnavailable(error);
    return inProcessChannel();
  }
}

async function openRedisChannel(): Promise<LiveChannel> {
  const redis = await getRedis();
  if (!redis) return inProcessChannel();
  // A connection that has subscribed can run no other command, so resumable-stream (and the Stop channel) need a
  // second connection for their subscriptions: a duplicate of the shared client, with its URL and fail-fast
  // options, made once per process. Everything else goes through the shared client.
  const subscribing = redis.duplicate() as Redis;
  subscribing.on('error', (error: unknown) => warnRedisUnavailable(error));
  await subscribing.connect();
  return { kind: 'redis', publisher: redisPublisher(redis), subscriber: redisSubscriber(subscribing) };
}

/**
 * resumable-stream awaits its publishes inside the loop that reads the answer, where a rejection would stall the
 * answer: a write that fails while Redis is down is logged and dropped, and the answer goes on.
 */
function redisPublisher(redis: Redis): Publisher {
  const quietly = async <T>(write: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      warnRedisUnavailable(error);
      return fallback;
    }
  };
  return {
    connect: async () => undefined,
    publish: (channel, message) => quietly(() => redis.publish(channel, message), 0),
    set: (key, value, options) =>
      quietly(
        () => redis.set(key, value, options?.EX ? { expiration: { type: 'EX', value: options.EX } } : undefined),
        null,
      ),
    get: (key) => redis.get(key),
    incr: (key) => redis.incr(key),
  };
}

function redisSubscriber(subscribing: Redis): Subscriber {
  return {
    connect: async () => undefined,
    subscribe: async (channel, callback) => {
      await subscribing.subscribe(channel, (message: string) => callback(message));
    },
    unsubscribe: async (channel) => {
      await subscribing.unsubscribe(channel).catch((error: unknown) => warnRedisUnavailable(error));
    },
  };
}
