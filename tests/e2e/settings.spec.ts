import { FAKE_GEMINI_URL } from './support/env.ts';
import { allFakeRequests, fakeRequests, requestBody, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { filesInPage, makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

test('the model picker offers Gemini’s chat models, and the chosen one answers', async ({ chat, page }) => {
  const tag = uniqueTag('model');
  const options = chat.modelPicker.locator('option');
  // The fake's ListModels: its chat models are offered, its embedding model is not.
  await expect
    .poll(() => options.allTextContents())
    .toEqual(
      expect.arrayContaining(['Gemini 2.5 Flash-Lite', 'Gemini 3.1 Pro Preview', 'Gemini 3.1 Flash-Lite Preview']),
    );
  await expect(options.filter({ hasText: 'Embedding' })).toHaveCount(0);
  expect((await allFakeRequests()).some((r) => r.method === 'listModels')).toBe(true);

  await chat.modelPicker.selectOption('gemini-3.1-pro-preview');
  await chat.ask(`Which model are you? [tag:${tag}]`);
  const [request] = await waitForFakeRequests(tag);
  expect(request?.model).toBe('gemini-3.1-pro-preview');
  // Each answer names the model that wrote it, also after the chat moves to another.
  await expect(chat.lastAnswer.getByTestId('answer-model')).toHaveText('gemini-3.1-pro-preview');
  await chat.modelPicker.selectOption('gemini-3.8-flash');
  await chat.ask('And now?');
  await expect(chat.answers.first().getByTestId('answer-model')).toHaveText('gemini-3.1-pro-preview');
  await expect(chat.lastAnswer.getByTestId('answer-model')).toHaveText('gemini-3.8-flash');

  // The chat remembers its model, and each answer its own.
  await page.reload();
  await expect(chat.modelPicker).toHaveValue('gemini-3.8-flash');
  await expect(chat.answers.first().getByTestId('answer-model')).toHaveText('gemini-3.1-pro-preview');
});

test('a system prompt and a temperature reach Gemini', async ({ chat, page, screens }) => {
  const tag = uniqueTag('settings');
  await page.getByRole('button', { name: 'Chat settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat settings' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('System prompt').fill('Answer like a careful museum curator.');
  await dialog.getByLabel('Temperature').fill('0.3');
  await screens.save('settings-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await chat.ask(`What do you see? [tag:${tag}]`);
  const [request] = await waitForFakeRequests(tag);
  const body = requestBody(request);
  expect(body.systemInstruction?.parts?.map((p) => p.text).join('')).toBe('Answer like a careful museum curator.');
  expect(body.generationConfig?.temperature).toBe(0.3);
  await expect(chat.lastAnswerText).toContainText('with a system instruction');

  // Saved with the chat: the dialog shows them again after a reload.
  await page.reload();
  await page.getByRole('button', { name: 'Chat settings' }).click();
  await expect(dialog.getByLabel('System prompt')).toHaveValue('Answer like a careful museum curator.');
  await expect(dialog.getByLabel('Temperature')).toHaveValue('0.3');
});

test('View as API call shows curl, JavaScript and Python, and copies them', async ({
  chat,
  page,
  context,
  baseURL,
  screens,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const png = makePng(24, 24, Math.floor(Math.random() * 1_000_000));
  await chat.drop(await filesInPage(page, [{ name: 'cat.png', mimeType: 'image/png', buffer: png }]));
  await chat.expectAttachmentsDone(1);
  await chat.ask(`What animal is this? [tag:${uniqueTag('api-call')}]`);

  await page.getByRole('button', { name: 'View as API call' }).click();
  const dialog = page.getByRole('dialog', { name: 'View as API call' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('tab')).toHaveText(['curl', 'JavaScript', 'Python']);

  const panel = dialog.getByRole('tabpanel');
  await expect(panel).toContainText('curl');
  await expect(panel).toContainText(`${baseURL}/v1/chat/completions`);
  await expect(panel).toContainText('What animal is this?');
  await expect(dialog.getByRole('link', { name: 'image-1.png' })).toBeVisible();
  await screens.save('api-call-dialog');

  await dialog.getByRole('tab', { name: 'JavaScript' }).click();
  await expect(panel).toContainText("from 'openai'");
  await dialog.getByRole('tab', { name: 'Python' }).click();
  await expect(panel).toContainText('from openai import OpenAI');

  const copy = dialog.getByRole('button', { name: 'Copy the Python code' });
  await copy.click();
  await expect(copy).toContainText('Copied');
  // Read back where no page Permissions-Policy applies (the chat's allows writing to the clipboard, not reading).
  const reader = await page.context().newPage();
  await reader.goto('/api/health');
  const copied = await reader.evaluate(() => navigator.clipboard.readText());
  await reader.close();
  expect(copied).toBe((await panel.locator('code').textContent()) ?? '');
  expect(copied).toContain('IRIS_API_KEY');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a chat whose model Gemini retired goes on with the replacement, and says so once', async ({
  chat,
  page,
  screens,
}) => {
  const retire = (models: string[]) =>
    fetch(`${FAKE_GEMINI_URL}/__fake/config`, { method: 'POST', body: JSON.stringify({ retiredModels: models }) });
  await chat.modelPicker.selectOption('gemini-3.6-flash');
  await chat.ask('First question');
  await expect(page.getByTestId('model-notice')).toHaveCount(0);
  try {
    await retire(['gemini-3.6-flash']);
    const tag = uniqueTag('retired');
    await chat.ask(`Second question [tag:${tag}]`);
    const notice = chat.lastAnswer.getByTestId('model-notice');
    await expect(notice).toHaveText('gemini-3.6-flash is retired; answering with gemini-3.8-flash');
    await expect(chat.modelPicker).toHaveValue('gemini-3.8-flash');
    expect((await fakeRequests(tag)).map((r) => r.model).at(-1)).toBe('gemini-3.8-flash');
    await screens.save('model-retired-notice');

    await chat.ask('Third question');
    await expect(page.getByTestId('model-notice')).toHaveCount(1);
    // Kept with the answer: a reload shows the same, once.
    await page.reload();
    await expect(page.getByTestId('model-notice')).toHaveCount(1);
    await expect(chat.modelPicker).toHaveValue('gemini-3.8-flash');
  } finally {
    await retire([]);
  }
});
