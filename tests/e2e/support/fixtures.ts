import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { ChatPage } from './chat-page.ts';
import { E2E_KEYS } from './env.ts';
import { PageErrors } from './page-errors.ts';

/** Stable paths for screens (test-results/screens/<name>.png), so reviewers and CI artifacts find them. */
export interface Screens {
  save(name: string, options?: { fullPage?: boolean }): Promise<void>;
}

interface Fixtures {
  /** Fails the test on console errors and uncaught exceptions it did not declare with `pageErrors.expect`. */
  pageErrors: PageErrors;
  /** Signs the browser context in through POST /api/auth/sign-in (the cookie is shared with `page`). */
  signIn: (key?: string) => Promise<void>;
  /** A signed-in page showing a new chat. */
  chat: ChatPage;
  screens: Screens;
}

export async function signInThroughApi(page: Page, baseURL: string, key: string): Promise<void> {
  // The route refuses changes that do not come from Iris's own origin, as a browser's form would. The first
  // sign-in of a fresh server opens its database, which on a loaded machine outlasts the usual 15 s.
  const response = await page.request.post('/api/auth/sign-in', {
    data: { key },
    headers: { origin: baseURL },
    timeout: 60_000,
  });
  expect(response.status(), await response.text()).toBe(200);
}

export const test = base.extend<Fixtures>({
  pageErrors: [
    async ({ page }, use) => {
      const errors = new PageErrors(page);
      await use(errors);
      expect(errors.unexpected(), 'console errors and uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],

  signIn: async ({ page, baseURL }, use) => {
    await use((key = E2E_KEYS[0]) => signInThroughApi(page, baseURL ?? '', key));
  },

  chat: async ({ page, signIn }, use) => {
    await signIn();
    const chat = new ChatPage(page);
    await chat.gotoNewChat();
    await use(chat);
  },

  screens: async ({ page }, use, testInfo) => {
    await use({
      save: async (name, options) => {
        const path = join(testInfo.project.outputDir, 'screens', `${name}.png`);
        await page.screenshot({ path, fullPage: options?.fullPage ?? false, animations: 'disabled' });
        await testInfo.attach(name, { path, contentType: 'image/png' });
      },
    });
  },
});

export { expect };
