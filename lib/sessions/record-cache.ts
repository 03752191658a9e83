import { BoundedCache } from '@/lib/bounded-cache';
import { getRedis, warnRedisUnavailable } from '@/lib/redis/client';
import type { SessionRecord } from '@/lib/storage/sessions';

/**
 * Session records as the database last said, for one second: a page load's burst of requests reads the
 * database once. The database is the authority; one second is also the longest a revoked session can outlive
 * its revocation on an instance that did not revoke it. With REDIS_URL the cache is shared by every instance;
 * while Redis is down, every read goes to the database.
 */

export const SESSION_CACHE_MS = 1_000;

const local = new BoundedCache<SessionRecord>(10_000);
const redisKey = (id: string) => `iris:session:${id}`;

interface Wire {
  id: string;
  ownerId: string;
  keyDigest: string;
  createdAt: number;
  lastSeenAt: number;
}

export async function cachedSession(id: string): Promise<SessionRecord | undefined> {
  const redis = await redisOrUndefined();
  if (!redis) return local.get(id);
  try {
    const raw = await redis.get(redisKey(id));
    return raw ? fromWire(JSON.parse(raw) as Wire) : undefined;
  } catch (error) {
    warnRedisUnavailable(error);
    return undefined;
  }
}

export async function cacheSession(record: SessionRecord): Promise<void> {
  const redis = await redisOrUndefined();
  if (!redis) {
    local.set(record.id, record, SESSION_CACHE_MS);
    return;
  }
  try {
    await redis.set(redisKey(record.id), JSON.stringify(toWire(record)), {
      expiration: { type: 'PX', value: SESSION_CACHE_MS },
    });
  } catch (error) {
    warnRedisUnavailable(error);
  }
}

/** Called after the records are gone from the database, so nothing re-caches them. */
export async function forgetSessions(ids: readonly string[]): Promise<void> {
  for (const id of ids) local.delete(id);
  if (ids.length === 0) return;
  const redis = await redisOrUndefined();
  if (!redis) return;
  try {
    await redis.del(ids.map(redisKey));
  } catch (error) {
    // The entries expire within SESSION_CACHE_MS on their own.
    warnRedisUnavailable(error);
  }
}

async function redisOrUndefined() {
  try {
    return await getRedis();
  } catch (error) {
    warnRedisUnavailable(error);
    return undefined;
  }
}

function toWire(record: SessionRecord): Wire {
  return { ...record, createdAt: record.createdAt.getTime(), lastSeenAt: record.lastSeenAt.getTime() };
}

function fromWire(wire: Wire): SessionRecord {
  return { ...wire, createdAt: new Date(wire.createdAt), lastSeenAt: new Date(wire.lastSeenAt) };
}
