import type { Page } from '@playwright/test';
import { ChatPage } from './support/chat-page.ts';
import { fakeRequests, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { expect, test } from './support/fixtures.ts';

// Slow enough to reload, switch or open a second tab while the answer is written (about six seconds in all).
const LONG_STREAM = '[fake:chunks:20] [fake:chunk-delay:300]';
// For the test that opens three tabs mid-answer (about half a minute: the fake sends a word or more per chunk).
const LONGER_STREAM = '[fake:chunks:20] [fake:chunk-delay:2000]';

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

test('a second tab on a busy chat says so and follows the answer; its Stop stops it in every tab', async ({
  chat,
  page,
}) => {
  test.setTimeout(90_000);
  // The fake files every request of this chat under the first question's tag.
  const tag = uniqueTag('tabs');
  await chat.ask(`A first question. [tag:${tag}]`);
  const id = await chat.chatId();
  // Open before the next answer starts, so it does not know the chat is busy until it sends.
  const early = new ChatPage(await page.context().newPage());
  await early.gotoChat(id);
  await expect(early.answers).toHaveCount(1);

  await chat.send(`Tell me everything. ${LONGER_STREAM}`);
  await expect(chat.lastAnswerText).not.toBeEmpty();

  // Sending there is refused in words, and the tab follows the running answer instead of failing.
  await early.send('Me too');
  const refused = early.page.getByTestId('live-note');
  await expect(refused).toContainText('This chat is answering in another tab.');
  await expect(refused).toContainText('Your message was not sent');
  await expect(early.page.getByTestId('chat-error')).toHaveCount(0);
  await expect(early.page.getByText('{"error"')).toHaveCount(0);
  await expect(early.userMessages).toHaveCount(2);
  await expect(early.lastAnswer).toHaveAttribute('data-status', 'streaming');
  await expect(early.lastAnswerText).not.toBeEmpty();

  // A tab opened mid-answer follows it too.
  const late = new ChatPage(await page.context().newPage());
  await late.gotoChat(id);
  await expect(late.page.getByTestId('live-note')).toHaveText('This chat is answering in another tab.');
  await expect(late.lastAnswer).toHaveAttribute('data-status', 'streaming');
  await expect(late.lastAnswerText).not.toBeEmpty();

  await late.stopButton.click();
  for (const tab of [late, early, chat]) {
    await tab.expectLastAnswer('stopped');
    await expect(tab.lastAnswer.getByTestId('end-note')).toHaveText('Stopped by you.');
    await expect(tab.page.getByTestId('live-note')).toHaveCount(0);
  }
  await expect.poll(async () => (await fakeRequests(tag)).map((r) => r.clientAborted)).toEqual([false, true]);
  const stopped = await answerText(chat);
  expect(stopped).not.toContain('Last prompt');
  expect(await answerText(early)).toBe(stopped);
  expect(await answerText(late)).toBe(stopped);
  await early.page.close();
  await late.page.close();
});

test('a stream Gemini breaks off keeps its text as "Connection lost", live and after a reload; Retry asks again', async ({
  chat,
  screens,
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
  await screens.save('connection-lost');

  await chat.gotoChat(await chat.chatId());
  await chat.expectLastAnswer('error');
  await expect(note).toContainText('Connection lost');
  expect(await answerText(chat)).toBe(partial);

  await note.getByRole('button', { name: 'Retry' }).click();
  await waitForFakeRequests(tag, 2);
  await expect(note).toContainText('Connection lost');
  await expect(chat.answers).toHaveCount(1);
});

test('a stream cut on the way to the browser keeps the text so far; Retry brings the answer the server finished', async ({
  chat,
  page,
  pageErrors,
}) => {
  pageErrors.expect(/Failed to load resource|ERR_CONTENT_LENGTH_MISMATCH|network/i);
  // The browser gets the first half of the answer's stream, then the connection dies (fewer bytes than announced).
  await page.route('**/api/chat', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const response = await route.fetch();
    const events = (await response.text()).split('\n\n');
    const deltas = events.flatMap((event, index) => (event.includes('"text-delta"') ? [index] : []));
    const half = events.slice(0, (deltas[2] ?? 0) + 1).join('\n\n');
    await route.fulfill({
      response,
      body: `${half}\n\n`,
      headers: { ...response.headers(), 'content-length': String(Buffer.byteLength(half) * 2) },
    });
  });
  const tag = uniqueTag('cut-browser');
  await chat.send(`Tell me everything. [tag:${tag}] [fake:chunks:12] [fake:chunk-delay:100]`);

  const note = chat.lastAnswer.getByTestId('end-note');
  await expect(note).toContainText('Connection lost');
  await chat.expectLastAnswer('error');
  const partial = await answerText(chat);
  expect(partial).toMatch(/^Fake/);
  expect(partial).not.toContain('Last prompt');
  await expect(chat.page.getByTestId('chat-error')).toHaveCount(0);

  await page.unroute('**/api/chat');
  await note.getByRole('button', { name: 'Retry' }).click();
  await chat.expectLastAnswer('complete');
  const whole = await answerText(chat);
  expect(whole).toContain('Last prompt');
  expect(whole.startsWith(partial)).toBe(true);
  // The server went on with the same answer: Gemini was asked once, never cut off.
  expect((await fakeRequests(tag)).map((r) => r.clientAborted)).toEqual([false]);
});
