import { ApiError } from '@/lib/errors';

/**
 * Cross-site request forgery defence for requests authenticated by the session cookie: the browser attaches the
 * cookie to requests that other sites start, so a change is only accepted when the browser says it came from
 * Iris's own pages. SameSite=Lax already keeps the cookie off cross-site POSTs; this also covers same-site
 * neighbours (another app on a sibling subdomain) and older browsers.
 */

export type OriginVerdict = 'same' | 'cross' | 'unknown';

/**
 * What the browser's own headers say about where a request came from. Both headers are set by the browser and
 * cannot be forged by a page; 'unknown' means neither is there, which is what non-browser clients send.
 */
export function originVerdict(request: Request): OriginVerdict {
  const site = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  // 'none' is the user's own action: a typed URL or a bookmark.
  if (site === 'same-origin' || site === 'none') return 'same';
  if (site === 'same-site' || site === 'cross-site') return 'cross';

  const origin = request.headers.get('origin');
  if (origin === null) return 'unknown';
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    // "null" (sandboxed frames, privacy-sensitive redirects) names no origin and is never ours.
    return 'cross';
  }
  return originHost !== '' && originHost === requestHost(request) ? 'same' : 'cross';
}

/** Throws a 403 ApiError unless the browser says the request came from this origin; no evidence is not enough. */
export function assertSameOrigin(request: Request): void {
  if (originVerdict(request) !== 'same') throw crossOriginRequest();
}

export function crossOriginRequest(): ApiError {
  return new ApiError(
    403,
    "This change was sent from another site, so it is refused. Iris's own pages can make it; other clients send an access key as a Bearer token.",
    { type: 'invalid_request_error', code: 'cross_origin_request' },
  );
}

/**
 * The host the browser addressed. Behind Vercel's (or any) proxy, Host is the upstream's and the public one is in
 * x-forwarded-host. A page cannot set that header on a credentialed cross-origin request without a CORS preflight
 * that allows credentials, which Iris never grants, so trusting it here gives an attacker nothing.
 */
function requestHost(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const host = forwarded || request.headers.get('host')?.trim() || new URL(request.url).host;
  // An Origin never carries a default port, and a Host header occasionally does.
  return host.toLowerCase().replace(/:(80|443)$/, '');
}
