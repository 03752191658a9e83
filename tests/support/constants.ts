/** Keys and limits the integration server is started with (tests/integration/global-setup.ts). */
export const GATEWAY_KEYS = ['iris-test-key-one', 'iris-test-key-two'] as const;
export const SERVER_GEMINI_KEY = 'fake-gemini-key';
/** Shaped like a Google API key, so GEMINI_KEY_PASSTHROUGH forwards it. */
export const PASSTHROUGH_GEMINI_KEY = 'AIzaSyFAKE-passthrough-key-0123456789ab';
export const WRONG_GEMINI_LOOKING_KEY = 'AIzaSyFAKE-not-accepted-by-upstream-xyz';

const MiB = 1024 * 1024;
export const TEST_LIMITS = {
  maxImageBytes: 2 * MiB,
  maxRequestBytes: 4 * MiB,
  maxImagesPerRequest: 4,
  imageFetchTimeoutMs: 1_500,
  upstreamTimeoutMs: 4_000,
  heartbeatMs: 400,
  modelsCacheTtlMs: 1_500,
} as const;
