import { readFile } from 'node:fs/promises';
import { expectNoSeriousA11yViolations } from './support/a11y.ts';
import type { ChatPage } from './support/chat-page.ts';
import { uniqueTag } from './support/fake-gemini.ts';
import { filesInPage, makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';
import { warmUpServer } from './support/warm-up.ts';

async function openChatMenu(chat: ChatPage, id: string) {
  const item = chat.page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
  await item.getByRole('button', { name: /^Options for/ }).click();
  return chat.page.getByRole('menu');
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  await warmUpServer(browser);
});

test('a share link opens signed out with its image, and stops working once revoked', async ({
  chat,
  page,
  browser,
}, testInfo) => {
  const png = makePng(30, 20, Math.floor(Math.random() * 1_000_000));
  await chat.drop(await filesInPage(page, [{ name: 'pool.png', mimeType: 'image/png', buffer: png }]));
  await chat.expectAttachmentsDone(1);
  await chat.ask(`What is in this pool? [tag:${uniqueTag('share')}]`);
  const id = await chat.chatId();
  const answer = ((await chat.lastAnswerText.textContent()) ?? '').trim();

  await (await openChatMenu(chat, id)).getByRole('menuitem', { name: 'Share…' }).click();
  const dialog = page.getByTestId('share-dialog');
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const linkField = dialog.getByRole('textbox', { name: 'Share link' });
  await expect(linkField).toHaveValue(/\/s\/[A-Za-z0-9_-]{22}$/);
  const url = await linkField.inputValue();
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, 'share-dialog');

  // Someone else, never signed in: a fresh browser context.
  const stranger = await browser.newContext({ colorScheme: 'dark' });
  const view = await stranger.newPage();
  const response = await view.goto(url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cache-control']).toMatch(/^private\b/);
  await expect(view.getByRole('heading', { level: 1 })).toContainText('What is in this pool?');
  await expect(view.getByTestId('answer-text')).toContainText(answer.slice(0, 30));
  const image = view.locator('[data-role="user"] img');
  await expect(image).toHaveCount(1);
  await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(30);
  expect(await view.content()).not.toContain('/api/files/');
  await expectNoSeriousA11yViolations(view, testInfo, 'shared-page-dark');
  // Nothing else of the owner's: the chat itself and the list are behind sign-in.
  expect((await view.request.get(`/api/chats/${id}`)).status()).toBe(401);

  // Revoking asks first.
  await dialog.getByRole('button', { name: 'Revoke…' }).click();
  await dialog.getByRole('button', { name: 'Keep the link' }).click();
  expect((await view.reload())?.status()).toBe(200);
  await dialog.getByRole('button', { name: 'Revoke…' }).click();
  await dialog.getByRole('button', { name: 'Revoke link' }).click();
  await expect(dialog.getByRole('button', { name: 'Create link' })).toBeVisible();
  expect((await view.reload())?.status()).toBe(404);
  const imagePath = new URL(url).pathname;
  expect((await view.request.get(`${imagePath}/files/0`)).status()).toBe(404);
  await stranger.close();
});

test('a chat exported as JSON and imported again is the same chat; Markdown comes as a zip', async ({ chat, page }) => {
  const tag = uniqueTag('export');
  await chat.ask(`Export me. [tag:${tag}]`);
  await chat.lastAnswer.getByRole('button', { name: 'Regenerate answer' }).click();
  await chat.expectLastAnswer('complete');
  await expect(chat.lastAnswer.getByTestId('version-label')).toHaveText('2/2');
  const id = await chat.chatId();
  const answer = ((await chat.lastAnswerText.textContent()) ?? '').trim();

  const zipDownload = page.waitForEvent('download');
  await (await openChatMenu(chat, id)).getByRole('menuitem', { name: 'Export as Markdown' }).click();
  const zip = await zipDownload;
  expect(zip.suggestedFilename()).toMatch(/^export-me.*\.zip$/);
  // A zip archive, not an error page under a .zip name.
  expect((await readFile(await zip.path())).subarray(0, 2).toString('latin1')).toBe('PK');

  const jsonDownload = page.waitForEvent('download');
  await (await openChatMenu(chat, id)).getByRole('menuitem', { name: 'Export as JSON' }).click();
  const json = await jsonDownload;
  expect(json.suggestedFilename()).toMatch(/\.iris\.json$/);
  const path = await json.path();
  const exported = JSON.parse(await readFile(path, 'utf8')) as { format: string; chats: { messages: unknown[] }[] };
  expect(exported.format).toBe('iris.chat');
  expect(exported.chats[0]?.messages).toHaveLength(3);

  await page.getByTestId('import-chats').click();
  await page.getByLabel(/Chats to import/).setInputFiles(path);
  await expect(page).not.toHaveURL(new RegExp(`/c/${id}$`));
  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  await expect(chat.userMessages).toHaveCount(1);
  await expect(chat.userMessages.first()).toContainText(`Export me. [tag:${tag}]`);
  await expect(chat.lastAnswerText).toHaveText(answer);
  await expect(chat.lastAnswer.getByTestId('version-label')).toHaveText('2/2');
  await chat.lastAnswer.getByRole('button', { name: 'Previous version' }).click();
  await expect(chat.lastAnswer.getByTestId('version-label')).toHaveText('1/2');
  // Both chats are in the list.
  await expect(page.getByTestId('chat-list-item').filter({ hasText: 'Export me.' })).toHaveCount(2);
});
