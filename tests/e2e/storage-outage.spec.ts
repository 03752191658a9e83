import { makePng } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

/**
 * The chat while storage is unreachable. The server's side (503 database_unavailable during a real cut of the
 * database connection) is tested in tests/integration/faults.test.ts; here the browser gets that very answer, so
 * the page's handling of it can be seen: the message is not lost, it goes back into the message box.
 */
const STORAGE_DOWN = {
  status: 503,
  headers: { 'content-type': 'application/json', 'retry-after': '5' },
  body: JSON.stringify({
    error: {
      message: 'Storage is unreachable: the database did not answer. Nothing was changed; try again in 5 seconds.',
      type: 'server_error',
      param: null,
      code: 'database_unavailable',
    },
  }),
};

test('a message refused because storage is unreachable says so and comes back into the message box, images too', async ({
  chat,
  page,
  pageErrors,
}) => {
  pageErrors.expect(/Failed to load resource: the server responded with a status of 503/);
  await chat.attachWithPicker([{ name: 'kept.png', mimeType: 'image/png', buffer: makePng(40, 30, 9) }]);
  await chat.expectAttachmentsDone(1);
  await page.route('**/api/chat', (route) => route.fulfill(STORAGE_DOWN));
  await chat.send('What is in this picture?');

  const refusal = page.getByTestId('chat-error');
  await expect(refusal).toContainText('Storage is unreachable; your message was not sent');
  await expect(chat.composer).toHaveValue('What is in this picture?');
  await chat.expectAttachmentsDone(1);
  await expect(chat.userMessages).toHaveCount(0);

  // Storage is back: sending the draft again works.
  await page.unroute('**/api/chat');
  await chat.sendButton.click();
  await expect(chat.userMessages).toHaveCount(1);
  await chat.expectLastAnswer('complete');
  await expect(refusal).toBeHidden();
  await expect(chat.composer).toHaveValue('');
  await expect(chat.attachments).toHaveCount(0);
});
