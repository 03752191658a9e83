import { expectNoSeriousA11yViolations } from './support/a11y.ts';
import { uniqueTag } from './support/fake-gemini.ts';
import { filesInPage, makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    // The app follows the system's theme unless one is chosen, so emulating the system's is enough.
    test.use({ colorScheme });

    test('sign-in and the API page', async ({ page, screens }, testInfo) => {
      await page.goto('/');
      await expect(page.getByLabel('Access key')).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `sign-in-${colorScheme}`);
      await screens.save(`sign-in-${colorScheme}`);

      await page.goto('/connect');
      await expect(page.getByRole('heading', { level: 1, name: 'Iris API' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `connect-${colorScheme}`);
    });

    test('the chat, its answer and its dialogs', async ({ chat, page, screens }, testInfo) => {
      await expectNoSeriousA11yViolations(page, testInfo, `new-chat-${colorScheme}`);
      await screens.save(`new-chat-${colorScheme}`);

      await chat.drop(
        await filesInPage(page, [{ name: 'scan.png', mimeType: 'image/png', buffer: makePng(120, 80, 31) }]),
      );
      await chat.expectAttachmentsDone(1);
      // The fake echoes the question, so the answer carries markdown and typeset math too.
      await chat.ask(`Is this **readable**, and is $x^2$? [tag:${uniqueTag('a11y')}]`);
      await expect(chat.lastAnswerText.locator('.katex')).toHaveCount(1);
      await chat.lastAnswer.getByRole('button', { name: 'Token usage' }).click();
      await expect(chat.lastAnswer.getByTestId('usage')).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `chat-${colorScheme}`);
      await screens.save(`chat-${colorScheme}`);

      await page.getByRole('button', { name: 'Chat settings' }).click();
      await expect(page.getByRole('dialog', { name: 'Chat settings' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `settings-${colorScheme}`);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog', { name: 'Chat settings' })).toBeHidden();

      await page.getByRole('button', { name: 'View as API call' }).click();
      await expect(page.getByRole('dialog', { name: 'View as API call' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `api-call-${colorScheme}`);
      await screens.save(`api-call-${colorScheme}`);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, `shortcuts-${colorScheme}`);
    });

    test.describe('on a phone', () => {
      test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

      test('the chat list drawer', async ({ chat, page, screens }, testInfo) => {
        await chat.ask(`A chat for the list. [tag:${uniqueTag('a11y-phone')}]`);
        await page.getByRole('button', { name: 'Open the chat list' }).tap();
        const drawer = page.getByRole('complementary', { name: 'Chat list' });
        await expect(drawer).toBeInViewport({ ratio: 1 });
        await expect(drawer.getByTestId('chat-list-item').first()).toBeVisible();
        await expectNoSeriousA11yViolations(page, testInfo, `phone-drawer-${colorScheme}`);
        await screens.save(`phone-drawer-${colorScheme}`);
      });
    });
  });
}
