import { join } from 'node:path';
import { expect, type Page, type TestInfo, test } from '@playwright/test';

/** Console errors and uncaught exceptions of `page`, collected from now on. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    errors.push(`console.error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** Stable path for a screen, so reviewers and CI artifacts find it without digging through per-test folders. */
function screenPath(testInfo: TestInfo, name: string): string {
  return join(testInfo.project.outputDir, 'screens', name);
}

async function expectHomeRenders(page: Page): Promise<void> {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Iris');
  await expect(page.getByRole('heading', { level: 1, name: 'Iris' })).toBeVisible();
}

test('home page renders on desktop', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await expectHomeRenders(page);
  await page.screenshot({ path: screenPath(testInfo, 'home.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

  test('home page renders at 390x844', async ({ page }, testInfo) => {
    const errors = collectPageErrors(page);
    await expectHomeRenders(page);
    await page.screenshot({ path: screenPath(testInfo, 'home-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
