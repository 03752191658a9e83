import { gatewayKeysNotConfigured } from '@/lib/auth';
import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';
import { LOCAL_OWNER_ID } from '@/lib/owner';
import { clearSession, hasSessionCookie, readSession, type SessionStatus } from '@/lib/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * GET /api/auth/session: whether the browser is signed in, and whether this server needs signing in at all.
 * Only the cookie counts here; a Bearer key is not a browser session.
 */
export const GET = apiRoute(async (request, { config, headers }) => {
  const responseHeaders = new Headers({ ...headers, 'cache-control': 'no-store' });
  const reply = (status: SessionStatus) => Response.json(status, { headers: responseHeaders });

  if (config.auth.apiKeys.length === 0) {
    if (config.nodeEnv === 'production') throw gatewayKeysNotConfigured();
    return reply({ signedIn: true, mode: 'open', ownerId: LOCAL_OWNER_ID });
  }
  const session = await readSession(request, config);
  if (session) return reply({ signedIn: true, mode: 'keys', ownerId: session.ownerId });
  // A cookie that no longer opens anything (removed key, new secret, tampering) is dropped rather than resent forever.
  if (hasSessionCookie(request)) await clearSession(request, responseHeaders, config);
  return reply({ signedIn: false, mode: 'keys' });
}, UI_ROUTE);

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
