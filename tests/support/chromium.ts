import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Playwright's own Chromium when `npx playwright install` has been run (laptops), else the distribution's
 * (CI and offline machines cannot download Playwright's build). CHROMIUM_PATH wins over both.
 */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    // Some Playwright builds throw here when no browser is registered for this platform: fall through.
  }
  return bundled && existsSync(bundled) ? bundled : '/usr/bin/chromium';
}

/** Quiet and deterministic: no sandbox (CI runs as root), no GPU, and no calls home that could hang offline. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
