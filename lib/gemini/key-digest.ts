import { createHash } from 'node:crypto';

/** Caches are keyed by a digest of the upstream key, so no key sits in memory as a map key or in a heap dump twice. */
export function keyDigest(baseURL: string, apiKey: string): string {
  return createHash('sha256').update(baseURL).update('\n').update(apiKey).digest('hex');
}
