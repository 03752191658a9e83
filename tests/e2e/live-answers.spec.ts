import type { Page } from '@playwright/test';
import { ChatPage } from './support/chat-page.ts';
import { fakeRequests, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { expect, test } from './support/fixtures.ts';

// Slow enough to reload, switch or open a second tab while the answer is written (about six seconds in all).
const LONG_STREAM = '[fake:chunks:20] [fake:chunk-delay:300]';

const listItem = (page: Page, id: string) => page.locator(`[data-testid="chat-list-item"][data-chat-id="${id}"]`);
const answerText = async (chat: ChatPage) => ((await chat.lastAnswerText.textContent()) ?? '').trim();

test('a reload mid-answer rejoins it, and the complete answer follows', async ({ chat, page }) => {
  const tag = uniqueTag('reload');
  await chat.send(`Tell me everything. [tag:${tag}] ${LONG_STREAM}`);
  await expect(chat.lastAnswerText).not.toBeEmpty();
  const id = await chat.chatId();

  await page.reload();
  await expect(chat.lastAnswer).toHaveAttribute('data-status', 'streaming');
  await expect(chat.stopButton).toBeVisible();
  await chat.expectLastAnswer('complete');
  expect(await answerText(chat)).toContain('Last prompt');
  await expect(chat.answers).toHaveCount(1);
  // A reload in the tab that asked is no other tab.
  await expect(page.getByTestId('live-note')).toHaveCount(0);
  // Gemini was never cut off, and asked once.
  const requests = await fakeRequests(tag);
  expect(requests.map((r) => r.clientAborted)).toEqual([false]);

  // Done now: opening the chat again simply shows it complete.
  await chat.gotoChat(id);
  await chat.expectLastAnswer('complete');
  expect(await answerText(chat)).toContain('Last prompt');
});

test('switching chats mid-answer does not stop it: back in the chat it is still coming, then complete', async ({
  chat,
  page,
}) => {
  await chat.ask(`A first, short chat. [tag:${uniqueTag('first')}]`);
  const first = await chat.chatId();
  await page.getByRole('link', { name: 'New chat' }).first().click();
  await expect(chat.messages).toHaveCount(0);

  const tag = uniqueTag('switch');
  await chat.send(`Tell me everything. [tag:${tag}] ${LONG_STREAM}`);
  await expect(chat.lastAnswerText).not.toBeEmpty();
  const second = await chat.chatId();

  await listItem(page, first).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/c/${first}$`));
  await chat.expectLastAnswer('complete');
  await listItem(page, second).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/c/${second}$`));
  await expect(chat.userMessages).toHaveCount(1);
  await chat.expectLastAnswer('complete');
  expect(await answerText(chat)).toContain('Last prompt');
  expect((await fakeRequests(tag)).map((r) => r.clientAborted)).toEqual([false]);
});

test('a second tab on a busy chat says so and follows the answer; its Stop stops it in both', async ({
  chat,
  page,
}) => {
  const tag = uniqueTag('tabs');
  await chat.send(`Tell me everything. [tag:${tag}] ${LONG_STREAM}`);
  await expect(chat.lastAnswerText).not.toBeEmpty();
  const id = await chat.chatId();

  const tab = new ChatPage(await page.context().newPage());
  await tab.gotoChat(id);
  await expect(tab.page.getByTestId('live-note')).toHaveText('This chat is answering in another tab.');
  await expect(tab.lastAnswer).toHaveAttribute('data-status', 'streaming');
  await expect(tab.lastAnswerText).not.toBeEmpty();

  // Sending there is refused in words, and the tab goes on following instead of failing.
  await tab.send('Me too');
  await expect(tab.page.getByTestId('live-note')).toContainText('This chat is answering in another tab.');
  await expect(tab.page.getByTestId('live-note')).toContainText('Your message was not sent');
  await expect(tab.page.getByTestId('chat-error')).toHaveCount(0);
  await expect(tab.page.getByText('{"error"')).toHaveCount(0);
  await expect(tab.userMessages).toHaveCount(1);
  await expect(tab.lastAnswer).toHaveAttribute('data-status', 'streaming');

  await tab.stopButton.click();
  await tab.expectLastAnswer('stopped');
  await chat.expectLastAnswer('stopped');
  await expect(chat.lastAnswer.getByTestId('end-note')).toHaveText('Stopped by you.');
  await expect(tab.page.getByTestId('live-note')).toHaveCount(0);
  await expect.poll(async () => (await fakeRequests(tag))[0]?.clientAborted).toBe(true);
  expect(await answerText(tab)).toBe(await answerText(chat));
  await tab.page.close();
});

test('a stream Gemini breaks off keeps its text as "Connection lost", live and after a reload; Retry asks again', async ({
  chat,
}) => {
  const tag = uniqueTag('cut');
  await chat.send(`Cut me off. [tag:${tag}] [fake:cut]`);
  const note = chat.lastAnswer.getByTestId('end-note');
  await expect(note).toContainText('Connection lost');
  await chat.expectLastAnswer('error');
  const partial = await answerText(chat);
  expect(partial).toMatch(/^Fake/);
  await expect(chat.page.getByTestId('chat-error')).toHaveCount(0);
  await expect(chat.page.getByText('network error', { exact: false })).toHaveCount(0);

  await chat.gotoChat(await chat.chatId());
  await chat.expectLastAnswer('error');
  await expect(note).toContainText('Connection lost');
  expect(await answerText(chat)).toBe(partial);

  await note.getByRole('button', { name: 'Retry' }).click();
  await waitForFakeRequests(tag, 2);
  await expect(note).toContainText('Connection lost');
  await expect(chat.answers).toHaveCount(1);
});

test('a connection lost in the browser keeps the text so far; Retry brings the answer the server finished', async ({
  chat,
  page,
  pageErrors,
}) => {
  pageErrors.expect(/Failed to load resource|ERR_INTERNET_DISCONNECTED|network/i);
  const tag = uniqueTag('offline');
  await chat.send(`Tell me everything. [tag:${tag}] ${LONG_STREAM}`);
  await expect(chat.lastAnswerText).not.toBeEmpty();
  await page.context().setOffline(true);

  const note = chat.lastAnswer.getByTestId('end-note');
  await expect(note).toContainText('Connection lost');
  const partial = await answerText(chat);
  expect(partial).toMatch(/^Fake/);
  expect(partial).not.toContain('Last prompt');
  await expect(chat.page.getByTestId('chat-error')).toHaveCount(0);

  await page.context().setOffline(false);
  await note.getByRole('button', { name: 'Retry' }).click();
  await chat.expectLastAnswer('complete');
  const whole = await answerText(chat);
  expect(whole).toContain('Last prompt');
  expect(whole.startsWith(partial.slice(0, 20))).toBe(true);
  // The server went on with the same answer: Gemini was asked once, never cut off.
  expect((await fakeRequests(tag)).map((r) => r.clientAborted)).toEqual([false]);
});
