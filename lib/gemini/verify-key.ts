import { BoundedCache } from '@/lib/bounded-cache';
import { ApiError } from '@/lib/errors';
import { keyDigest } from '@/lib/gemini/key-digest';

const VERIFIED_TTL_MS = 10 * 60_000;
const verified = new BoundedCache<true>(1_000);

/**
 * A caller's own Gemini key is checked with Gemini once (a one-item ListModels) before Iris does any
 * work for it, so a made-up "AIza…" string cannot make Iris fetch images or call Gemini on its behalf.
 * Only a definite refusal fails here; if Gemini cannot be asked, the real call will report why.
 */
export async function verifyCallerGeminiKey(
  apiKey: string,
  options: { baseURL: string; signal?: AbortSignal },
): Promise<void> {
  const digest = keyDigest(options.baseURL, apiKey);
  if (verified.get(digest)) return;

  let status: number;
  try {
    const url = new URL(`${options.baseURL}/models`);
    url.searchParams.set('pageSize', '1');
    const response = await fetch(url, {
      headers: { 'x-goog-api-key': apiKey },
      signal: options.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(10_000)])
        : AbortSignal.timeout(10_000),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return;
  }
  if (status === 400 || status === 401 || status === 403) {
    throw new ApiError(401, 'Gemini rejected the API key you sent.', {
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
  }
  if (status >= 200 && status < 300) verified.set(digest, true, VERIFIED_TTL_MS);
}
