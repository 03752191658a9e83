import { uniqueTag } from './support/fake-gemini.ts';
import { makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

test('on a phone the chat list is a drawer, and everything works by touch', async ({ chat, page, screens }) => {
  const drawer = page.getByRole('complementary', { name: 'Chat list' });
  await expect(drawer).toBeHidden();
  await expect(chat.composer).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Take a photo' })).toBeVisible();

  // A photo from the camera (one per shot) and one from the picker; thumbnails' remove buttons need no hover.
  await page
    .getByTestId('camera-input')
    .setInputFiles({ name: 'photo-1.png', mimeType: 'image/png', buffer: makePng(60, 80, 21) });
  await chat.expectAttachmentsDone(1);
  await chat.attachWithPicker([{ name: 'photo-2.png', mimeType: 'image/png', buffer: makePng(80, 60, 22) }]);
  await chat.expectAttachmentsDone(2);
  const remove = page.getByRole('button', { name: 'Remove photo-2.png' });
  await expect(remove).toBeInViewport();
  await remove.tap();
  await chat.expectAttachmentsDone(1);

  const title = `Phone chat ${uniqueTag('t')}`;
  await chat.composer.tap();
  await chat.composer.fill(`${title}\n[tag:${uniqueTag('phone')}]`);
  await chat.sendButton.tap();
  await chat.expectLastAnswer('complete');
  await expect(chat.lastAnswerText).toContainText('received 1 image');
  const id = await chat.chatId();
  await screens.save('phone-chat');

  await page.getByRole('button', { name: 'Open the chat list' }).tap();
  await expect(drawer).toBeInViewport();
  const item = page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
  await expect(item).toContainText(title);
  await screens.save('phone-drawer');

  await page.getByTestId('new-chat').tap();
  await expect(page).toHaveURL(/\/$/);
  await expect(drawer).toBeHidden();
  // Soft, so the rest of the drawer's behaviour is still checked when this goes wrong.
  await expect.soft(chat.messages).toHaveCount(0);

  await page.getByRole('button', { name: 'Open the chat list' }).tap();
  await expect(drawer).toBeInViewport();
  // Not the open chat any more, and still its options show: a touch screen has no hover to reveal them.
  await expect(item.getByRole('button', { name: `Options for "${title}"` })).toHaveCSS('opacity', '1');
  await item.getByRole('link', { name: title }).tap();
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await expect(drawer).toBeHidden();
  await expect(chat.lastAnswerText).toContainText('received 1 image');

  // The dimmed page beside the drawer closes it.
  await page.getByRole('button', { name: 'Open the chat list' }).tap();
  await expect(drawer).toBeInViewport();
  await page.getByRole('button', { name: 'Close the chat list' }).tap({ position: { x: 380, y: 420 } });
  await expect(drawer).toBeHidden();
  await expect(chat.composer).toBeInViewport();
});
