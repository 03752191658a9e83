/**
 * The address the browser used to reach Iris, for links it hands out. Behind a proxy (Vercel's included) the
 * public host and scheme are in X-Forwarded-Host and X-Forwarded-Proto.
 */
export function publicOrigin(request: Request): string {
  const url = new URL(request.url);
  const host =
    request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host') || url.host;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(/:$/, '');
  return `${proto}://${host}`;
}
