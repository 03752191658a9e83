import { randomBytes } from 'node:crypto';
import type { Config } from '@/lib/config';
import { getDb } from '@/lib/db/client';
import { getOrCreateServerSecret } from '@/lib/storage/server-secrets';

/**
 * The secret that seals session cookies (and, under its own derived key, reasoning items): SESSION_SECRET when
 * set, else 32 random bytes made on first start and kept in the database, so every instance of a deployment uses
 * the same one. It is never derived from anything a caller knows, such as the access keys.
 *
 * Rotating it: set a new SESSION_SECRET, or delete the `session` row of `server_secrets` and restart every instance.
 * Either signs everyone out, since no cookie sealed before opens any more.
 */

export const SESSION_SECRET_NAME = 'session';

let stored: Promise<string> | undefined;

export async function sessionSecret(config: Pick<Config, 'sessionSecret'>): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  if (!stored) {
    const loading = getDb().then((db) =>
      getOrCreateServerSecret(db, SESSION_SECRET_NAME, () => randomBytes(32).toString('hex')),
    );
    stored = loading;
    // A database that is down now may be up for the next request: a failure is not remembered.
    loading.catch(() => {
      if (stored === loading) stored = undefined;
    });
  }
  return stored;
}

/** Tests: forget the secret read from the database. */
export function forgetStoredSessionSecret(): void {
  stored = undefined;
}
