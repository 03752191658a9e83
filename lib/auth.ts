import { createHash, timingSafeEqual } from 'node:crypto';
import { assertNotWaiting, recordFailure, throttleKey } from '@/lib/auth-throttle';
import type { Config } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { verifyCallerGeminiKey } from '@/lib/gemini/verify-key';

/** Who is calling, as far as the upstream call is concerned. */
export interface Caller {
  /** The Gemini key this request is served with. */
  upstreamApiKey: string;
  /** True when the caller brought their own Gemini key (GEMINI_KEY_PASSTHROUGH). */
  bringsOwnKey: boolean;
}

// Google API keys: "AIza" followed by 35 URL-safe characters.
const GEMINI_KEY_PATTERN = /^AIza[0-9A-Za-z_-]{35}$/;

export function bearerToken(headers: Headers): string | undefined {
  const header = headers.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() || undefined;
}

/**
 * Authenticates a request; a caller's own Gemini key is also checked with Gemini before any work is done for it.
 * A wrong key counts against the caller's address; an address with too many must wait, and is refused with a
 * 429 whatever key it sends until then (lib/auth-throttle.ts).
 */
export async function authorize(request: Request, config: Config): Promise<Caller> {
  // Without keys nothing is guessed: open development lets everyone in, production refuses everyone.
  const guarded = bearerToken(request.headers) !== undefined && config.auth.apiKeys.length > 0;
  const address = throttleKey(request, config);
  const wrongKeyCounts = async (error: unknown) => {
    if (guarded && error instanceof ApiError && error.code === 'invalid_api_key') await recordFailure(address);
  };
  let caller: Caller;
  try {
    caller = authenticate(request.headers, config);
  } catch (error) {
    await wrongKeyCounts(error);
    throw error;
  }
  if (guarded) await assertNotWaiting(address);
  if (caller.bringsOwnKey) {
    try {
      await verifyCallerGeminiKey(caller.upstreamApiKey, { baseURL: config.gemini.baseURL, signal: request.signal });
    } catch (error) {
      await wrongKeyCounts(error);
      throw error;
    }
  }
  return caller;
}

/** Throws a 401 (or a 503 when the server cannot serve anyone) ApiError; never echoes a key. */
export function authenticate(headers: Headers, config: Config): Caller {
  const token = bearerToken(headers);
  const { apiKeys, geminiKeyPassthrough } = config.auth;

  if (token !== undefined && apiKeys.length > 0 && matchesAnyKey(token, apiKeys)) {
    return { upstreamApiKey: serverGeminiKey(config), bringsOwnKey: false };
  }
  if (token !== undefined && geminiKeyPassthrough && GEMINI_KEY_PATTERN.test(token)) {
    return { upstreamApiKey: token, bringsOwnKey: true };
  }
  if (apiKeys.length === 0) {
    if (config.nodeEnv === 'production') throw gatewayKeysNotConfigured();
    // Development without API_KEYS is open on purpose; the start-up log warns loudly about it.
    return { upstreamApiKey: serverGeminiKey(config), bringsOwnKey: false };
  }
  if (token === undefined) {
    throw new ApiError(401, "You didn't provide an API key. Send it as an 'Authorization: Bearer <key>' header.", {
      type: 'invalid_request_error',
      code: 'missing_api_key',
    });
  }
  throw incorrectBearerKey();
}

/** Production without API_KEYS: nobody can be authenticated, so every call is refused with this. */
export function gatewayKeysNotConfigured(): ApiError {
  return new ApiError(
    401,
    'This Iris server has no API_KEYS configured, so it refuses every call. The operator must set API_KEYS (comma-separated gateway keys) and restart.',
    { type: 'authentication_error', code: 'gateway_keys_not_configured' },
  );
}

export function incorrectBearerKey(): ApiError {
  return new ApiError(401, 'Incorrect API key provided. Check the key you send as a Bearer token.', {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  });
}

/** The server's own Gemini key, or a 503 that tells the operator to set it. */
export function serverGeminiKey(config: Config): string {
  if (!config.gemini.apiKey) {
    throw new ApiError(
      503,
      'This Iris server has no Gemini API key. The operator must set GOOGLE_GENERATIVE_AI_API_KEY and restart.',
      { type: 'server_error', code: 'upstream_key_not_configured' },
    );
  }
  return config.gemini.apiKey;
}

function matchesAnyKey(token: string, keys: readonly string[]): boolean {
  return findGatewayKey(token, keys) !== undefined;
}

/** The configured gateway key equal to `token`, if any, found without leaking through timing (see findKeyByDigest). */
export function findGatewayKey(token: string, keys: readonly string[]): string | undefined {
  return findKeyByDigest(keyDigest(token), keys);
}

/**
 * Compares digests in constant time and always walks every key, so timing says nothing about which key is near.
 * Takes a digest so a session that holds only its key's digest is checked the same way as a Bearer token.
 */
export function findKeyByDigest(digest: Buffer, keys: readonly string[]): string | undefined {
  // timingSafeEqual throws on a length mismatch; a digest of the wrong length matches nothing.
  if (digest.length !== DIGEST_BYTES) return undefined;
  let matched: string | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, keyDigest(key))) matched = key;
  }
  return matched;
}

const DIGEST_BYTES = 32;

/** SHA-256 of a gateway key: what is compared, and what a session stores instead of the key. */
export function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Whose data a key opens: a hash, so the database never holds a key; 128 bits is plenty to keep owners apart. */
export function ownerIdForKey(key: string): string {
  return `k_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
