import { keyDigest } from '@/lib/auth';
import type { Config } from '@/lib/config';
import { getDb } from '@/lib/db/client';
import { forgetSessions } from '@/lib/sessions/record-cache';
import { deleteSession, deleteSessionsOfKey, deleteSessionsOfOtherKeys } from '@/lib/storage/sessions';

/**
 * Ending sessions. The database row goes first (it is the authority), then the cached copies; an instance that
 * still holds one in its cache sees the end within SESSION_CACHE_MS.
 */

/** Ends one session (sign-out), by the hash of its id. */
export async function endSession(id: string): Promise<void> {
  await deleteSession(await getDb(), id);
  await forgetSessions([id]);
}

/**
 * Ends every session opened with a key: what revoking that key must call. `digest` is the key's SHA-256 in hex
 * (lib/auth.ts keyDigest). Returns how many ended.
 */
export async function endSessionsOfKey(digest: string): Promise<number> {
  const ids = await deleteSessionsOfKey(await getDb(), digest);
  await forgetSessions(ids);
  return ids.length;
}

/**
 * Ends the sessions of keys no longer in API_KEYS, at start-up: a key removed and later put back must not bring
 * its old sessions back. (Requests check the key too, so this only tidies what no request has met since.)
 */
export async function endSessionsOfRemovedKeys(config: Pick<Config, 'auth'>): Promise<number> {
  const digests = config.auth.apiKeys.map((key) => keyDigest(key).toString('hex'));
  const ids = await deleteSessionsOfOtherKeys(await getDb(), digests);
  await forgetSessions(ids);
  return ids.length;
}
