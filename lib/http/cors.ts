import type { Config } from '@/lib/config';

/**
 * Browser clients (the openai SDK with dangerouslyAllowBrowser, web playgrounds) call the API with a key,
 * so CORS defaults to `*`. A comma-separated CORS_ALLOW_ORIGIN allows just those origins: the header can
 * only name one, so the request's origin is echoed when it is on the list.
 */
export function corsHeaders(config: Pick<Config, 'corsAllowOrigin'>, request?: Request): Record<string, string> {
  const headers: Record<string, string> = {
    'access-control-expose-headers': 'retry-after, x-request-id, x-iris-models-source',
  };
  const allowed = allowedOrigin(config.corsAllowOrigin, request?.headers.get('origin') ?? null);
  if (allowed) headers['access-control-allow-origin'] = allowed;
  if (config.corsAllowOrigin !== '*') headers.vary = 'origin';
  if (request?.method === 'OPTIONS') {
    headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
    // The openai SDKs send x-stainless-* headers; echo what the browser asks for rather than chase that list.
    headers['access-control-allow-headers'] =
      request.headers.get('access-control-request-headers') ?? 'authorization, content-type';
    headers['access-control-max-age'] = '86400';
  }
  return headers;
}

function allowedOrigin(setting: string, origin: string | null): string | undefined {
  if (setting === '*') return '*';
  const list = setting.split(',').map((o) => o.trim().replace(/\/+$/, ''));
  if (list.length === 1) return list[0];
  return origin !== null && list.includes(origin) ? origin : undefined;
}
