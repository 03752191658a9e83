import { bearerToken, findGatewayKey, gatewayKeysNotConfigured, incorrectBearerKey, ownerIdForKey } from '@/lib/auth';
import { assertNotWaiting, recordFailure, throttleKey } from '@/lib/auth-throttle';
import type { Config } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { assertSameOrigin, crossOriginRequest, originVerdict } from '@/lib/http/same-origin';
import { readSession } from '@/lib/session';

/**
 * Whose data a request may see. Every access key is its own owner, so each key has its own history;
 * open development mode (no API_KEYS) has exactly one owner.
 */

export const LOCAL_OWNER_ID = 'local';

export type OwnerVia = 'bearer' | 'session' | 'open';

export interface Owner {
  ownerId: string;
  /** How the owner was established; only 'session' rides on an ambient credential (the cookie). */
  via: OwnerVia;
}

export { ownerIdForKey };

/**
 * Whose stored API data (Responses) a request may see, once `authorize` has let it in: its key's own, as for the
 * chat; the local owner when it sent none (open development).
 */
export function apiOwnerId(request: Request): string {
  const token = bearerToken(request.headers);
  return token === undefined ? LOCAL_OWNER_ID : ownerIdForKey(token);
}

/** Development without API_KEYS serves everyone as one local owner; production without them serves nobody. */
export function isOpenMode(config: Pick<Config, 'auth' | 'nodeEnv'>): boolean {
  return config.auth.apiKeys.length === 0 && config.nodeEnv !== 'production';
}

export interface ResolveOwnerOptions {
  /**
   * The route changes data: a cookie-authenticated request must then come from Iris's own pages,
   * so another site cannot act with the visitor's cookie. Bearer requests carry no ambient credential and are exempt.
   */
  mutating?: boolean;
}

/**
 * The owner of a request to a UI route: a gateway key sent as a Bearer token, else the session cookie,
 * else the local owner in open development mode. Throws a 401 ApiError otherwise (a 403 for a
 * cross-origin mutation).
 */
export async function resolveOwner(
  request: Request,
  config: Config,
  options: ResolveOwnerOptions = {},
): Promise<Owner> {
  const { apiKeys } = config.auth;
  if (apiKeys.length === 0) {
    if (config.nodeEnv === 'production') throw gatewayKeysNotConfigured();
    // Open mode has no credential, so a page on another site could drive a local dev server: refuse what the
    // browser says came from elsewhere, and let curl (no browser headers) through.
    // Reads too: without a credential, the browser's origin headers are the only thing between a local chat
    // history and any web page the developer happens to open.
    if (originVerdict(request) === 'cross') throw crossOriginRequest();
    return { ownerId: LOCAL_OWNER_ID, via: 'open' };
  }

  const token = bearerToken(request.headers);
  if (token !== undefined) {
    const address = throttleKey(request, config);
    // A wrong key is reported as wrong rather than quietly ignored in favour of a cookie.
    const key = findGatewayKey(token, apiKeys);
    if (key === undefined) {
      await recordFailure(address);
      throw incorrectBearerKey();
    }
    await assertNotWaiting(address);
    return { ownerId: ownerIdForKey(key), via: 'bearer' };
  }

  const session = await readSession(request, config);
  if (session) {
    if (options.mutating) assertSameOrigin(request);
    return { ownerId: session.ownerId, via: 'session' };
  }
  throw notSignedIn();
}

export function notSignedIn(): ApiError {
  return new ApiError(401, 'Sign in with an access key, or send it as a Bearer token.', {
    type: 'authentication_error',
    code: 'not_signed_in',
  });
}
