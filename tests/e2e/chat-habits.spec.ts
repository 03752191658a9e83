import { requestBody, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

// The habits people bring from ChatGPT and Claude (issue: the chat as its users expect), one test per habit.

const png = (seed: number) => ({ name: `photo-${seed}.png`, mimeType: 'image/png', buffer: makePng(64, 48, seed) });

test('math in an answer is typeset, inline and as a block', async ({ chat }) => {
  await chat.send(
    `Some math\n[fake:json:Energy is $E=mc^2$.\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n] [tag:${uniqueTag('math')}]`,
  );
  await chat.expectLastAnswer('complete');
  const katex = chat.lastAnswerText.locator('.katex');
  await expect(katex).toHaveCount(2);
  await expect(chat.lastAnswerText.locator('.katex-display')).toHaveCount(1);
  // Typeset (KaTeX's HTML, its TeX kept only as the MathML annotation), not the source shown between dollars.
  await expect(chat.lastAnswerText.locator('.katex-html')).toHaveCount(2);
  await expect(chat.lastAnswerText).not.toContainText('$');
});

test('? shows the shortcut sheet (but types a ? in the message box), and Ctrl+K goes to the search', async ({
  chat,
  page,
}) => {
  await chat.composer.fill('Why');
  await chat.composer.press('?');
  await expect(chat.composer).toHaveValue('Why?');
  const sheet = page.getByTestId('shortcuts-dialog');
  await expect(sheet).toBeHidden();

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('?');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expect(sheet).toContainText('Search chats');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  await chat.composer.focus();
  await page.keyboard.press('Control+K');
  await expect(page.getByTestId('chat-search')).toBeFocused();
});

test('each chat in the list is one Tab stop; its options are → away', async ({ chat, page }) => {
  const first = `First ${uniqueTag('tab')}`;
  const second = `Second ${uniqueTag('tab')}`;
  await chat.ask(first);
  await page.getByTestId('new-chat').click();
  await chat.ask(second);

  const secondLink = page.getByRole('link', { name: second });
  const firstLink = page.getByRole('link', { name: first });
  await secondLink.focus();
  await page.keyboard.press('Tab');
  await expect(firstLink).toBeFocused();

  await page.keyboard.press('ArrowRight');
  const options = page.getByRole('button', { name: `Options for "${first}"` });
  await expect(options).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(options).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(firstLink).toBeFocused();
});

test('Enter while an image is still uploading sends the message once the upload is done', async ({ chat, page }) => {
  // The upload is held back in the browser, so the message is written while it is still on its way.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/api/files', async (route) => {
    await held;
    await route.continue();
  });
  const tag = uniqueTag('queued');
  await chat.attachWithPicker([png(31)]);
  await expect(chat.attachments.first()).not.toHaveAttribute('data-status', 'done');
  await chat.composer.fill(`What is this? [tag:${tag}]`);
  await chat.composer.press('Enter');

  await expect(page.locator('#composer-hint')).toHaveText('Sends when the images finish uploading…');
  await expect(chat.userMessages).toHaveCount(0);
  release();

  await expect(chat.userMessages).toHaveCount(1);
  await chat.expectLastAnswer('complete');
  await expect(chat.lastAnswerText).toContainText('received 1 image');
  const [request] = await waitForFakeRequests(tag);
  expect(requestBody(request).contents?.[0]?.parts?.some((part) => 'inlineData' in part)).toBe(true);
});

test('a draft, text and images, is kept per chat: across switching chats and a reload', async ({ chat, page }) => {
  const title = `Drafted ${uniqueTag('draft')}`;
  await chat.ask(title);
  const id = await chat.chatId();
  await chat.composer.fill('Half a thought');
  await chat.attachWithPicker([png(41)]);
  await chat.expectAttachmentsDone(1);

  await page.getByTestId('new-chat').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(chat.composer).toHaveValue('');
  await expect(chat.attachments).toHaveCount(0);
  await chat.composer.fill('A new chat’s own draft');

  await page.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await expect(chat.composer).toHaveValue('Half a thought');
  await chat.expectAttachmentsDone(1);

  await page.reload();
  await expect(chat.composer).toHaveValue('Half a thought');
  await chat.expectAttachmentsDone(1);

  await page.getByTestId('new-chat').click();
  await expect(chat.composer).toHaveValue('A new chat’s own draft');

  // Sent, the draft is gone.
  await page.getByRole('link', { name: title }).click();
  await expect(chat.composer).toHaveValue('Half a thought');
  await chat.sendButton.click();
  await chat.expectLastAnswer('complete');
  await page.reload();
  await expect(chat.composer).toHaveValue('');
  await expect(chat.attachments).toHaveCount(0);
});

test('a chat of images only is titled after its first answer, not "Image chat"', async ({ chat, page }) => {
  await chat.attachWithPicker([png(51)]);
  await chat.expectAttachmentsDone(1);
  await chat.sendButton.click();
  await chat.expectLastAnswer('complete');
  const id = await chat.chatId();

  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toContainText('Fake Gemini received 1 image');
  const item = page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
  await expect(item).toContainText('Fake Gemini received 1 image');
  await page.reload();
  await expect(heading).toContainText('Fake Gemini received 1 image');
  await expect(item).not.toContainText('Image chat');
});

test('the last line of a long chat stays clear of the jump-to-latest button', async ({ chat, page }) => {
  await chat.ask(
    `[fake:chunks:4] ${'A long answer line. '.repeat(3)}\n${'More. '.repeat(400)} [tag:${uniqueTag('jump')}]`,
  );
  const list = page.getByTestId('message-list');
  const jump = page.getByRole('button', { name: 'Jump to the latest message' });
  await list.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(jump).toBeVisible();
  const jumpBox = await jump.boundingBox();
  await jump.click();
  await expect(jump).toBeHidden();
  const listBox = await list.boundingBox();
  const answerBox = await chat.lastAnswer.boundingBox();
  if (!jumpBox || !listBox || !answerBox) throw new Error('not laid out');
  // At the end, the last answer (with its actions) ends above where the button stands.
  expect(answerBox.y + answerBox.height).toBeLessThanOrEqual(jumpBox.y);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

  test('the empty chat speaks of the camera, not of dropping, and the header keeps the whole title', async ({
    chat,
    page,
  }) => {
    await expect(page.getByTestId('empty-hint-touch')).toBeVisible();
    await expect(page.getByTestId('empty-hint')).toBeHidden();

    await chat.ask(`What is in this photo?\n[tag:${uniqueTag('phone-title')}]`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toContainText('What is in this photo?');
    // Not cut to "What is in …" by the model picker beside it.
    expect(await heading.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await expect(chat.modelPicker).toBeInViewport();
  });
});
