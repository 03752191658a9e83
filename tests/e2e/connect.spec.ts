import { expect, test } from './support/fixtures.ts';

test('the API page renders on desktop', async ({ page, screens }) => {
  const response = await page.goto('/connect');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/Iris/);
  await expect(page.getByRole('heading', { level: 1, name: 'Iris API' })).toBeVisible();
  // Every endpoint an OpenAI client can call, with this server's base URL.
  for (const path of ['chat/completions', 'responses', 'embeddings', 'models']) {
    await expect(page.getByText(new RegExp(`^(POST|GET) http://127\\.0\\.0\\.1:\\d+/v1/${path}$`))).toBeVisible();
  }
  await screens.save('connect', { fullPage: true });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

  test('the API page renders at 390x844 without sideways scrolling', async ({ page, screens }) => {
    await page.goto('/connect');
    await expect(page.getByRole('heading', { level: 1, name: 'Iris API' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screens.save('connect-phone', { fullPage: true });
  });
});
