import type { Config } from '@/lib/config';

/** Browser clients (the openai SDK with dangerouslyAllowBrowser, web playgrounds) call the API with a key, so CORS defaults to `*`. */
export function corsHeaders(config: Pick<Config, 'corsAllowOrigin'>, request?: Request): Record<string, string> {
  const headers: Record<string, string> = {
    'access-control-allow-origin': config.corsAllowOrigin,
    'access-control-expose-headers': 'retry-after, x-request-id',
  };
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
