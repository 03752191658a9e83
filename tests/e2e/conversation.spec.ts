import { fakeRequests, requestBody, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { filesInPage, makePng, sha256 } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

// Slow enough that the test can act while the answer is still being written (about six seconds in all).
const LONG_STREAM = '[fake:chunks:20] [fake:chunk-delay:300]';

test('Stop keeps the partial answer, also after a reload', async ({ chat }) => {
  const tag = uniqueTag('stop');
  await chat.send(`Tell me everything. [tag:${tag}] ${LONG_STREAM}`);
  await expect(chat.lastAnswerText).not.toBeEmpty();
  await chat.stopButton.click();

  await expect(chat.sendButton).toBeVisible();
  // Soft, so a wrong mark in the open page still lets the test check what a reload shows.
  await expect.soft(chat.lastAnswer).toHaveAttribute('data-status', 'stopped');
  await expect.soft(chat.lastAnswer.getByText('Stopped by you.')).toBeVisible();
  const partial = ((await chat.lastAnswerText.textContent()) ?? '').trim();
  // The fake's full answer ends by quoting the prompt; a stopped one never gets that far.
  expect(partial).toMatch(/^Fake/);
  expect(partial).not.toContain('Last prompt');
  // Stopping in the browser also stops the call to Gemini.
  await expect.poll(async () => (await fakeRequests(tag))[0]?.clientAborted).toBe(true);

  const id = await chat.chatId();
  await chat.gotoChat(id);
  await chat.expectLastAnswer('stopped');
  const reloaded = ((await chat.lastAnswerText.textContent()) ?? '').trim();
  expect(reloaded).toMatch(/^Fake/);
  expect(reloaded).not.toContain('Last prompt');
  await expect(chat.lastAnswer.getByText('Stopped by you.')).toBeVisible();
});

// A second tab on a busy chat: tests/e2e/live-answers.spec.ts.

test('Regenerate shows a new answer as version 2/2, the old one kept behind it', async ({ chat }) => {
  const tag = uniqueTag('regen');
  await chat.ask(`Say something. [tag:${tag}] [fake:chunks:4] [fake:chunk-delay:150]`);
  await expect(chat.answers).toHaveCount(1);

  const progress = await chat.recordAnswerProgress();
  await chat.lastAnswer.getByRole('button', { name: 'Regenerate answer' }).click();
  const requests = await waitForFakeRequests(tag, 2);
  await chat.expectLastAnswer('complete');
  await expect(chat.answers).toHaveCount(1);
  await expect(chat.userMessages).toHaveCount(1);
  // The new answer was written in the page, not just the old one left standing.
  expect((await progress.snapshots()).some((s) => s.status === 'streaming')).toBe(true);
  // The answer being replaced is not sent back to Gemini as history: just the one question again.
  expect(requestBody(requests[1]).contents?.map((c) => c.role)).toEqual(['user']);
  await expect(chat.lastAnswer.getByTestId('version-label')).toHaveText('2/2');
});

test('editing a question keeps its image and shows the new version with its own answer', async ({ chat, page }) => {
  const tag = uniqueTag('edit');
  const png = makePng(32, 32, Math.floor(Math.random() * 1_000_000));
  await chat.drop(await filesInPage(page, [{ name: 'chart.png', mimeType: 'image/png', buffer: png }]));
  await chat.expectAttachmentsDone(1);
  await chat.ask(`First question about the chart. [tag:${tag}]`);

  await chat.userMessages.first().getByRole('button', { name: 'Edit message' }).click();
  const editor = page.getByTestId('message-editor');
  await expect(editor).toBeVisible();
  await expect(editor.locator('img')).toHaveCount(1);
  await editor.getByRole('textbox').fill(`Second question about the chart. [tag:${tag}]`);
  await editor.getByRole('button', { name: 'Save & send' }).click();

  const requests = await waitForFakeRequests(tag, 2);
  const edited = requests[1];
  expect(edited?.images.map((image) => image.sha256)).toEqual([sha256(png)]);
  expect(requestBody(edited).contents).toHaveLength(1);

  await chat.expectLastAnswer('complete');
  await expect(chat.userMessages).toHaveCount(1);
  await expect(chat.answers).toHaveCount(1);
  await expect(chat.userMessages.first()).toContainText('Second question');
  await expect(chat.lastAnswerText).toContainText('Second question');
  await expect(chat.lastAnswerText).not.toContainText('First question');
  await expect(chat.userMessages.first().locator('img')).toHaveCount(1);
  await expect(chat.userMessages.first().getByTestId('version-label')).toHaveText('2/2');
});

test('the same image attached twice is sent twice, and removing one copy in the editor keeps the other', async ({
  chat,
  page,
}) => {
  const tag = uniqueTag('twice');
  const twin = makePng(24, 24, Math.floor(Math.random() * 1_000_000));
  const other = makePng(20, 28, Math.floor(Math.random() * 1_000_000));
  await chat.drop(
    await filesInPage(page, [
      { name: 'twin-a.png', mimeType: 'image/png', buffer: twin },
      { name: 'twin-b.png', mimeType: 'image/png', buffer: twin },
      { name: 'other.png', mimeType: 'image/png', buffer: other },
    ]),
  );
  await chat.expectAttachmentsDone(3);
  await chat.ask(`Three pictures, two alike. [tag:${tag}]`);
  const [sent] = await waitForFakeRequests(tag, 1);
  expect(sent?.images.map((image) => image.sha256)).toEqual([sha256(twin), sha256(twin), sha256(other)]);
  await expect(chat.userMessages.first().locator('img')).toHaveCount(3);

  await chat.userMessages.first().getByRole('button', { name: 'Edit message' }).click();
  const editor = page.getByTestId('message-editor');
  await expect(editor.locator('img')).toHaveCount(3);
  await editor.getByRole('button', { name: 'Remove image 1' }).click();
  // What the editor shows is what goes: one copy of the twin and the other picture.
  await expect(editor.locator('img')).toHaveCount(2);
  await editor.getByRole('button', { name: 'Save & send' }).click();
  const requests = await waitForFakeRequests(tag, 2);
  expect(requests[1]?.images.map((image) => image.sha256)).toEqual([sha256(twin), sha256(other)]);
  await chat.expectLastAnswer('complete');
  await expect(chat.userMessages.first().locator('img')).toHaveCount(2);
});

test('an answer says why it ended: the token limit (with Continue) and the safety filter, live and after a reload', async ({
  chat,
  page,
}) => {
  const tag = uniqueTag('ends');
  await chat.ask(`Tell me everything [tag:${tag}] [fake:max-tokens]`);
  const note = chat.lastAnswer.getByTestId('end-note');
  await expect(note).toContainText('Cut short: token limit.');
  await chat.lastAnswer.getByRole('button', { name: 'Continue' }).click();
  await expect(chat.answers).toHaveCount(2);
  await chat.expectLastAnswer('complete');
  const requests = await waitForFakeRequests(tag, 2);
  // Continue asks in the same chat: the cut answer goes back as history, then the request for more.
  expect(requestBody(requests[1]).contents?.map((c) => c.role)).toEqual(['user', 'model', 'user']);
  await expect(chat.answers.first().getByRole('button', { name: 'Continue' })).toHaveCount(0);

  await chat.ask('Something risky [fake:safety]');
  await expect(chat.lastAnswer.getByTestId('end-note')).toContainText(
    'blocked by Gemini’s safety filter (dangerous content).',
  );
  await page.reload();
  await expect(chat.answers.first().getByTestId('end-note')).toContainText('Cut short: token limit.');
  await expect(chat.lastAnswer.getByTestId('end-note')).toContainText(
    'blocked by Gemini’s safety filter (dangerous content).',
  );
});

test('Gemini’s thought summaries show collapsed under the answer’s Thoughts', async ({ chat }) => {
  const tag = uniqueTag('thoughts');
  await chat.ask(`Think it through [tag:${tag}] [fake:thinking]`);
  const [sent] = await waitForFakeRequests(tag, 1);
  expect(requestBody(sent).generationConfig?.thinkingConfig).toEqual({ includeThoughts: true });
  const thoughts = chat.lastAnswer.locator('details');
  await expect(thoughts.locator('summary')).toHaveText('Thoughts');
  await expect(thoughts).not.toHaveAttribute('open');
  await thoughts.locator('summary').click();
  await expect(thoughts).toContainText('Counting what arrived');
  // Kept with the answer.
  await chat.gotoChat(await chat.chatId());
  await expect(chat.lastAnswer.locator('details summary')).toHaveText('Thoughts');
});

test('a Gemini error shows its message inline, and Retry asks again', async ({ chat, page, screens }) => {
  const tag = uniqueTag('quota');
  await chat.send(`Will this work? [tag:${tag}] [fake:429]`);
  const alert = page.getByRole('alert').filter({ hasText: 'Gemini rate limit' });
  await expect(alert).toContainText('Gemini rate limit or quota reached: You exceeded your current quota');
  // Gemini's RetryInfo (34.4 s), rounded up: how long to wait, in words.
  await expect(alert).toContainText('Try again in 35 s.');
  await expect(chat.sendButton).toBeVisible();
  await waitForFakeRequests(tag, 1);
  await screens.save('chat-error');
  // Soft: the failed answer should say so itself, as it does after a reload (checked below).
  await expect.soft(chat.lastAnswer).toHaveAttribute('data-status', 'error');

  // The same question fails the same way again, but it must be asked again.
  await alert.getByRole('button', { name: 'Retry' }).click();
  await waitForFakeRequests(tag, 2);
  await expect(page.getByRole('alert').filter({ hasText: 'Gemini rate limit' })).toBeVisible();

  // The failure is saved with the answer: a reload still says what went wrong, and still offers Retry.
  await chat.gotoChat(await chat.chatId());
  await chat.expectLastAnswer('error');
  const saved = chat.lastAnswer.getByRole('alert');
  await expect(saved).toContainText('Gemini rate limit or quota reached');
  await saved.getByRole('button', { name: 'Retry' }).click();
  await waitForFakeRequests(tag, 3);
});

test.describe('keyboard', () => {
  test('Enter sends, Shift+Enter starts a new line', async ({ chat, page }) => {
    const tag = uniqueTag('enter');
    await chat.composer.focus();
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type(`Second line [tag:${tag}]`);
    await expect(chat.composer).toHaveValue(`First line\nSecond line [tag:${tag}]`);
    await page.keyboard.press('Enter');

    await chat.expectLastAnswer('complete');
    await expect(chat.composer).toHaveValue('');
    const [request] = await waitForFakeRequests(tag);
    expect(requestBody(request).contents?.[0]?.parts?.at(-1)?.text).toBe(`First line\nSecond line [tag:${tag}]`);
  });

  test('Esc stops a streaming answer', async ({ chat, page }) => {
    const tag = uniqueTag('esc');
    await chat.send(`Go on and on. [tag:${tag}] ${LONG_STREAM}`);
    await expect(chat.lastAnswerText).not.toBeEmpty();
    await page.keyboard.press('Escape');
    // How a stopped answer is marked is the Stop test's business; this one is about the key.
    await expect(chat.stopButton).toBeHidden();
    await expect(chat.sendButton).toBeVisible();
    await expect.poll(async () => (await fakeRequests(tag))[0]?.clientAborted).toBe(true);
    expect((await chat.lastAnswerText.textContent()) ?? '').not.toContain('Last prompt');
  });

  test('Ctrl+Shift+O opens a new chat', async ({ chat, page }) => {
    await chat.ask(`Something to leave behind. [tag:${uniqueTag('shortcut')}]`);
    await chat.chatId();
    await page.keyboard.press('Control+Shift+O');
    await expect(page).toHaveURL(/\/$/);
    await expect(chat.messages).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Ask Gemini about your images' })).toBeVisible();
  });

  test('the first Tab offers a skip to the composer, then Tab reaches Attach, then Send', async ({ chat, page }) => {
    await chat.composer.fill('Ready to send');
    await page.locator('body').focus();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // However long the chat list grows, the composer is two keys away.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('button', { name: 'Skip to the message box' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(chat.composer).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(chat.attachButton).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(chat.sendButton).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(chat.userMessages).toHaveCount(1);
    await chat.expectLastAnswer('complete');
  });
});
