import type { Page } from '@playwright/test';
import type { ChatPage } from './support/chat-page.ts';
import { uniqueTag } from './support/fake-gemini.ts';
import { filesInPage, makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

/** One chat with an answer; its title is the first line of its question, the tag rides on the second. */
async function startChat(chat: ChatPage, title: string, secondLine = ''): Promise<string> {
  await chat.ask(`${title}\n${secondLine} [tag:${uniqueTag('sidebar')}]`);
  return chat.chatId();
}

function listItem(page: Page, id: string) {
  return page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
}

test('a reloaded chat is in the list with its title, and opening it shows its images', async ({ chat, page }) => {
  const title = `Harbour photos ${uniqueTag('t')}`;
  await chat.drop(
    await filesInPage(page, [
      { name: 'harbour-1.png', mimeType: 'image/png', buffer: makePng(48, 32, 11) },
      { name: 'harbour-2.png', mimeType: 'image/png', buffer: makePng(32, 48, 12) },
    ]),
  );
  await chat.expectAttachmentsDone(2);
  const id = await startChat(chat, title);
  // The header and the browser tab say what the list says, before any reload.
  await expect(listItem(page, id)).toContainText(title);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page).toHaveTitle(`${title} · Iris`);

  await page.reload();
  await expect(page).toHaveTitle(`${title} · Iris`);
  await expect(listItem(page, id)).toContainText(title);
  await expect(listItem(page, id).getByRole('link')).toHaveAttribute('aria-current', 'page');

  await page.getByTestId('new-chat').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(chat.messages).toHaveCount(0);
  await listItem(page, id).getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  const widths = await chat.expectMessageImagesLoaded(2);
  expect(widths).toEqual([48, 32]);
  await expect(chat.lastAnswerText).toContainText('received 2 images');
});

test('a chat can be renamed in place', async ({ chat, page }) => {
  const title = `Rename me ${uniqueTag('t')}`;
  const renamed = `Renamed ${uniqueTag('t')}`;
  const id = await startChat(chat, title);
  const item = listItem(page, id);
  await expect(item).toContainText(title);

  await item.getByRole('button', { name: `Options for "${title}"` }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  const field = item.getByRole('textbox', { name: `New title for "${title}"` });
  await expect(field).toBeFocused();
  await field.fill(renamed);
  await field.press('Enter');
  await expect(item.getByRole('link')).toHaveText(renamed);

  await page.reload();
  await expect(listItem(page, id).getByRole('link')).toHaveText(renamed);
});

test('search finds chats by title and by the text of their messages', async ({ chat, page }) => {
  const word = uniqueTag('kingfisher');
  const needle = uniqueTag('needle');
  const id = await startChat(chat, `Birds ${word}`, `Somewhere in the text: ${needle}`);
  const search = page.getByTestId('chat-search');

  await search.fill(word);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
  await expect(listItem(page, id)).toBeVisible();

  await search.fill(needle);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
  await expect(listItem(page, id)).toBeVisible();

  await search.fill(uniqueTag('nothing-like-this'));
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);
  await expect(chat.sidebar).toContainText('No chats match');

  // Esc empties the search and brings the list back.
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(listItem(page, id)).toBeVisible();
});

test('a chat is deleted only after confirming, and its address then finds nothing', async ({
  chat,
  page,
  pageErrors,
}) => {
  const title = `Delete me ${uniqueTag('t')}`;
  const id = await startChat(chat, title);
  const item = listItem(page, id);
  await expect(item).toBeVisible();

  const openDeleteDialog = async () => {
    await item.getByRole('button', { name: `Options for "${title}"` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete “${title}”?` });
    await expect(dialog).toBeVisible();
    return dialog;
  };

  // Cancel keeps it.
  const first = await openDeleteDialog();
  await first.getByRole('button', { name: 'Cancel' }).click();
  await expect(first).toBeHidden();
  await expect(item).toBeVisible();

  const second = await openDeleteDialog();
  await second.getByRole('button', { name: 'Delete' }).click();
  await expect(second).toBeHidden();
  await expect(item).toHaveCount(0);
  // It was the open chat, so the page leaves it for a new one.
  await expect(page).toHaveURL(/\/$/);

  // The browser logs the 404 of the chat's address itself.
  pageErrors.expect(/Failed to load resource: the server responded with a status of 404/);
  await chat.gotoChat(id);
  await expect(page.getByRole('heading', { name: 'No such chat' })).toBeVisible();
});

test('a chat opened again from the list shows every turn, also those sent since it was first opened', async ({
  chat,
  page,
}) => {
  const firstTitle = `Reopened ${Date.now()}`;
  const first = await startChat(chat, firstTitle);
  await page.getByTestId('new-chat').click();
  await expect(chat.answers).toHaveCount(0);
  const other = await startChat(chat, `Elsewhere ${Date.now()}`);

  await listItem(page, first).getByRole('link').click();
  // Both chats have one answer: wait for the first one's own question, not just a count the other also meets.
  await expect(chat.userMessages.first()).toContainText(firstTitle);
  await expect(chat.answers).toHaveCount(1);
  await chat.ask('And a second question.');
  await expect(chat.answers).toHaveCount(2);

  await listItem(page, other).getByRole('link').click();
  await expect(chat.answers).toHaveCount(1);
  await listItem(page, first).getByRole('link').click();
  await expect(chat.answers).toHaveCount(2);
  await expect(page.getByText('And a second question.', { exact: true })).toBeVisible();
});
