/**
 * What the e2e servers are started with (playwright.config.ts) and what the tests need to know about them.
 * Ports can be moved with E2E_PORT / E2E_FAKE_GEMINI_PORT when something else already listens on them.
 */

export const IRIS_PORT = Number(process.env.E2E_PORT ?? 3100);
export const FAKE_GEMINI_PORT = Number(process.env.E2E_FAKE_GEMINI_PORT ?? 3199);

export const IRIS_URL = `http://127.0.0.1:${IRIS_PORT}`;
export const FAKE_GEMINI_URL = `http://127.0.0.1:${FAKE_GEMINI_PORT}`;

/** Each key is its own owner, so a test signed in with one never sees another's chats. */
export const E2E_KEYS = ['e2e-key-alpha-0001', 'e2e-key-bravo-0002', 'e2e-key-charlie-0003'] as const;

export const FAKE_GEMINI_KEY = 'fake-gemini-key';

/** Small enough that a modest test image must be downscaled, so the resize is observable. */
export const CHAT_IMAGE_MAX_EDGE = 1024;
