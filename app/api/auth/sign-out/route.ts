import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { clearSession } from '@/lib/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** POST /api/auth/sign-out: ends the session everywhere (a copied cookie opens nothing after) and expires the cookie. */
export const POST = apiRoute(async (request, { config, headers }) => {
  // Otherwise any site could sign a visitor out.
  assertSameOrigin(request);
  const responseHeaders = new Headers({ ...headers, 'cache-control': 'no-store' });
  await clearSession(request, responseHeaders, config);
  return Response.json({ signedIn: false }, { headers: responseHeaders });
}, UI_ROUTE);

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
