import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import {
  CHAT_IMAGE_MAX_EDGE,
  E2E_KEYS,
  FAKE_GEMINI_KEY,
  FAKE_GEMINI_PORT,
  FAKE_GEMINI_URL,
  IRIS_PORT,
  IRIS_URL,
} from './tests/e2e/support/env';
import { CHROMIUM_ARGS, chromiumPath } from './tests/support/chromium';

// A fresh database and file store per run, so no test sees chats left by an earlier one. The config is evaluated
// again in every worker; the environment carries the first directory there instead of making one per worker.
process.env.IRIS_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'iris-e2e-'));

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 1 : undefined,
  // Generous for a slow 2-core CI machine; no test waits on a clock, only on conditions.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: IRIS_URL,
    headless: true,
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: [
    {
      // The Gemini the server talks to: it answers with what arrived and records every request by its [tag:…].
      command: `node tests/fake-gemini/cli.ts --port ${FAKE_GEMINI_PORT}`,
      url: `${FAKE_GEMINI_URL}/__fake/config`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: { FAKE_GEMINI_API_KEYS: FAKE_GEMINI_KEY },
    },
    {
      // `npm test` builds before Playwright runs; building here would do it twice.
      command: `node_modules/.bin/next start -H 127.0.0.1 -p ${IRIS_PORT}`,
      // Ready once the embedded database is created and migrated (seconds on a busy machine), not just listening.
      url: `${IRIS_URL}/api/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      // One JSON line per request would bury the test report; warnings and errors still come through stderr.
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        // NEXT_DIST_DIR lets a build beside .next (e.g. .next-e2e) be tested without touching the main one.
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || '.next',
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        API_KEYS: E2E_KEYS.join(','),
        GOOGLE_GENERATIVE_AI_API_KEY: FAKE_GEMINI_KEY,
        GOOGLE_GENERATIVE_AI_BASE_URL: `${FAKE_GEMINI_URL}/v1beta`,
        IRIS_DATA_DIR: process.env.IRIS_E2E_DATA_DIR,
        // Empty: the embedded database in IRIS_DATA_DIR, never a developer's Postgres.
        DATABASE_URL: '',
        CHAT_IMAGE_MAX_EDGE: String(CHAT_IMAGE_MAX_EDGE),
        // Every spec signs in from 127.0.0.1, some with wrong keys on purpose.
        AUTH_FREE_FAILURES: '1000',
      },
    },
  ],
});
