import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { findGatewayKey, gatewayKeysNotConfigured } from '@/lib/auth';
import { assertNotWaiting, recordFailure, throttleKey } from '@/lib/auth-throttle';
import { ApiError, invalidRequest } from '@/lib/errors';
import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';
import { readJsonBody } from '@/lib/http/read-json-body';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { saveSession } from '@/lib/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// An access key and some JSON around it; anything bigger is not a sign-in.
const MAX_BODY_BYTES = 4096;
// Every wrong key is answered this long after the request arrived, so timing cannot tell one failure from another.
// Guessing is slowed by the failed-authentication throttle (lib/auth-throttle.ts); this only evens out the timing.
const FAILURE_RESPONSE_MS = 250;

const SignInBody = z.object({ key: z.string() });

/** POST /api/auth/sign-in `{ key }`: checks the access key and sets the session cookie. */
export const POST = apiRoute(async (request, { config, headers, receivedAt }) => {
  assertSameOrigin(request);
  if (config.auth.apiKeys.length === 0) {
    if (config.nodeEnv === 'production') throw gatewayKeysNotConfigured();
    throw new ApiError(
      400,
      'This Iris server has no API_KEYS, so in development it is open to everyone and needs no sign-in.',
      { code: 'sign_in_not_needed' },
    );
  }

  const parsed = SignInBody.safeParse(await readBody(request));
  // Zod's messages are not passed on: they could quote what was sent, and that may be a key.
  if (!parsed.success) throw invalidRequest('Send the access key as JSON: {"key": "<access key>"}.', 'key');

  const address = throttleKey(request, config);

  // Pasted keys often bring a trailing newline or space; configured keys are trimmed too.
  const key = findGatewayKey(parsed.data.key.trim(), config.auth.apiKeys);
  if (key === undefined) {
    await recordFailure(address);
    await sleep(Math.max(0, receivedAt + FAILURE_RESPONSE_MS - performance.now()));
    throw new ApiError(401, 'That access key is not valid. Ask the operator of this server for one.', {
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      param: 'key',
    });
  }

  await assertNotWaiting(address);
  const responseHeaders = new Headers({ ...headers, 'cache-control': 'no-store' });
  await saveSession(request, responseHeaders, config, { key });
  return Response.json({ signedIn: true }, { headers: responseHeaders });
}, UI_ROUTE);

async function readBody(request: Request): Promise<unknown> {
  try {
    return await readJsonBody(request, MAX_BODY_BYTES);
  } catch (error) {
    // readJsonBody's own message points at MAX_REQUEST_BYTES and images, which is no help here.
    if (error instanceof ApiError && error.code === 'request_too_large') {
      throw new ApiError(413, 'A sign-in request is just {"key": "<access key>"}; this one is far too large.', {
        code: 'request_too_large',
      });
    }
    throw error;
  }
}

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
