import { expectNoSeriousA11yViolations } from './support/a11y.ts';
import { requestBody, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { expect, test } from './support/fixtures.ts';
import { warmUpServer } from './support/warm-up.ts';

const textsSent = (body: ReturnType<typeof requestBody>) =>
  (body.contents ?? []).map((c) => (c.parts ?? []).map((p) => p.text ?? '').join(''));

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  await warmUpServer(browser);
});

test('regenerate and edit keep the old versions; ‹ › switches between them, and a reload shows the same', async ({
  chat,
  page,
}, testInfo) => {
  const tag = uniqueTag('versions');
  await chat.ask(`First question. [tag:${tag}]`);
  await chat.ask(`Second question. [tag:${tag}]`);
  const firstAnswer = ((await chat.lastAnswerText.textContent()) ?? '').trim();

  // Regenerate: a second version of the last answer, 2/2.
  await chat.lastAnswer.getByRole('button', { name: 'Regenerate answer' }).click();
  await waitForFakeRequests(tag, 3);
  await chat.expectLastAnswer('complete');
  const answerSwitch = chat.lastAnswer.getByTestId('version-switch');
  await expect(answerSwitch.getByTestId('version-label')).toHaveText('2/2');
  await answerSwitch.getByRole('button', { name: 'Previous version' }).click();
  await expect(answerSwitch.getByTestId('version-label')).toHaveText('1/2');
  await expect(chat.lastAnswerText).toHaveText(firstAnswer);

  // Edit the first question: the old conversation stays as version 1.
  await chat.userMessages.first().getByRole('button', { name: 'Edit message' }).click();
  const editor = page.getByTestId('message-editor');
  await editor.getByRole('textbox').fill(`First question, rephrased. [tag:${tag}]`);
  await editor.getByRole('button', { name: 'Save & send' }).click();
  const requests = await waitForFakeRequests(tag, 4);
  await chat.expectLastAnswer('complete');
  // Gemini got the new branch only: the rephrased question, none of the old turns.
  expect(textsSent(requestBody(requests[3]))).toEqual([`First question, rephrased. [tag:${tag}]`]);
  await expect(chat.userMessages).toHaveCount(1);
  const questionSwitch = chat.userMessages.first().getByTestId('version-switch');
  await expect(questionSwitch.getByTestId('version-label')).toHaveText('2/2');
  await expectNoSeriousA11yViolations(page, testInfo, 'versions');

  // Back to the first version: the whole old conversation, with the answer version chosen there.
  await questionSwitch.getByRole('button', { name: 'Previous version' }).click();
  await expect(chat.userMessages).toHaveCount(2);
  await expect(chat.userMessages.first()).toContainText('First question.');
  await expect(chat.lastAnswerText).toHaveText(firstAnswer);
  await expect(chat.lastAnswer.getByTestId('version-label')).toHaveText('1/2');

  // View as API call follows the branch shown.
  await page.getByRole('button', { name: 'View as API call' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Second question.');
  await expect(dialog).not.toContainText('rephrased');
  await page.keyboard.press('Escape');

  // The choice is saved: a reload shows the same branch and versions.
  await page.reload();
  await expect(chat.userMessages).toHaveCount(2);
  await expect(chat.userMessages.first().getByTestId('version-label')).toHaveText('1/2');
  await expect(chat.lastAnswer.getByTestId('version-label')).toHaveText('1/2');
  await expect(chat.lastAnswerText).toHaveText(firstAnswer);

  // And the next question continues that branch.
  await chat.ask(`Third question. [tag:${tag}]`);
  const next = await waitForFakeRequests(tag, 5);
  const sent = textsSent(requestBody(next[4]));
  expect(sent).toHaveLength(5);
  expect(sent[0]).toBe(`First question. [tag:${tag}]`);
  expect(sent.join('\n')).not.toContain('rephrased');
});
