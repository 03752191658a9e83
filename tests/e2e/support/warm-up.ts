import type { Browser } from '@playwright/test';
import { E2E_KEYS, IRIS_URL } from './env.ts';

/**
 * A fresh server opens its embedded database and loads its routes on the first requests, which on a loaded
 * machine can take longer than one action may; this makes those first requests once, with room to spare.
 */
export async function warmUpServer(browser: Browser): Promise<void> {
  const context = await browser.newContext({ baseURL: IRIS_URL });
  try {
    await context.request.get('/', { timeout: 120_000 });
    await context.request.post('/api/auth/sign-in', {
      data: { key: E2E_KEYS[0] },
      headers: { origin: IRIS_URL },
      timeout: 120_000,
    });
    await context.request.get('/api/chats', { timeout: 120_000 });
  } finally {
    await context.close();
  }
}
