/**
 * The headers every page carries (proxy.ts sets them; API routes keep their CORS and get none of this).
 *
 * Scripts run only with the request's nonce ('strict-dynamic' lets those scripts load the rest of the bundle);
 * Next puts the nonce on its own scripts, found in the request's Content-Security-Policy header. Styles allow
 * inline ones: React's `style` attributes, KaTeX and Shiki's highlighting write them, and a nonce cannot cover
 * an attribute. Images are same-origin, data: and blob: (upload previews); the image worker is same-origin.
 */

export const NONCE_HEADER = 'x-nonce';

export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  const directives = [
    "default-src 'self'",
    // React rebuilds server error stacks with eval in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    // next dev's hot reload talks over a WebSocket.
    `connect-src 'self'${options.development ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** The browser features a page may use: the camera (the composer's capture input) and writing to the clipboard. */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'clipboard-write=(self)',
  'clipboard-read=()',
  'microphone=()',
  'geolocation=()',
  'display-capture=()',
  'payment=()',
  'usb=()',
].join(', ');

export function pageSecurityHeaders(nonce: string, options: { development: boolean }): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce, options),
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    'permissions-policy': PERMISSIONS_POLICY,
  };
}

/** 128 random bits, base64: unguessable, new for every page. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
