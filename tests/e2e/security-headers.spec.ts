import type { Page } from '@playwright/test';
import { E2E_KEYS } from './support/env.ts';
import { expect, test } from './support/fixtures.ts';

/**
 * Every page works under its Content-Security-Policy: nothing is refused (the browser reports each refusal as a
 * `securitypolicyviolation` event, collected here from before the page's first script), and a framing attempt
 * by another page is refused.
 */

async function collectViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

test('the sign-in screen and /connect load with no CSP violation', async ({ page }) => {
  const violations = await collectViolations(page);
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.getByLabel('Access key')).toBeVisible();
  // The sign-in form is React's: it works only if the page's scripts ran.
  await page.getByLabel('Access key').fill(E2E_KEYS[0]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  expect(await violations()).toEqual([]);

  await page.goto('/connect');
  await expect(page.getByRole('heading', { name: 'Iris API' })).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('a chat with markdown and highlighted code renders with no CSP violation', async ({ page, chat }) => {
  const violations = await collectViolations(page);
  await chat.gotoNewChat();
  const answer = await chat.ask(
    '[fake:json:Some **bold** and `inline` code, and a block:\n\n```ts\nconst answer: number = 42;\n```\n]',
  );
  expect(answer).toContain('bold');
  const id = await chat.chatId();
  await page.goto(`/c/${id}`);
  await expect(chat.answers.last().locator('pre')).toContainText('const answer');
  expect(await violations()).toEqual([]);
});

test('another site cannot frame Iris', async ({ page, baseURL, pageErrors }) => {
  // Chromium says so in the console, which is the point of this test.
  pageErrors.expect(/frame-ancestors|Refused to display/);
  await page.setContent(`<iframe id="framed" src="${baseURL}/connect"></iframe>`);
  const frame = page.frameLocator('#framed');
  await expect(frame.getByRole('heading', { name: 'Iris API' })).toHaveCount(0, { timeout: 5_000 });
});
