import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

const PORT = 3100;
const BASE_URL = `http://127.0.0.1:${PORT}`;

/**
 * Playwright's own Chromium when `npx playwright install` has been run (laptops), else the distribution's
 * (CI and offline machines cannot download Playwright's build). CHROMIUM_PATH wins over both.
 */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    // Some Playwright builds throw here when no browser is registered for this platform: fall through.
  }
  return bundled && existsSync(bundled) ? bundled : '/usr/bin/chromium';
}

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 1 : undefined,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: BASE_URL,
    headless: true,
    browserName: 'chromium',
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      // Quiet and deterministic: no sandbox (CI runs as root), no GPU, and no calls home that could hang offline.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    // `npm test` builds before Playwright runs; building here would do it twice.
    command: `node_modules/.bin/next start -H 127.0.0.1 -p ${PORT}`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      API_KEYS: 'e2e-key',
      GOOGLE_GENERATIVE_AI_API_KEY: 'fake-gemini-key',
      // Port 9 (discard) has no listener: any call that leaks past a test's own mock fails fast instead of
      // reaching Google.
      GOOGLE_GENERATIVE_AI_BASE_URL: 'http://127.0.0.1:9/v1beta',
    },
  },
});
