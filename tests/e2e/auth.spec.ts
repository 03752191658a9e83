import { E2E_KEYS } from './support/env.ts';
import { expect, test } from './support/fixtures.ts';

test('sign-in refuses a wrong key with the server’s message, accepts a right one, and sign-out returns', async ({
  page,
  pageErrors,
  screens,
}) => {
  await page.goto('/');
  const key = page.getByLabel('Access key');
  await expect(key).toBeVisible();
  await expect(key).toBeFocused();
  await screens.save('sign-in');

  // The browser logs the refused sign-in request itself.
  pageErrors.expect(/Failed to load resource: the server responded with a status of 401/);
  await key.fill('not-a-key-anyone-was-given');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Next's route announcer is an alert too, always there and empty: the form's own is the one meant.
  await expect(page.getByRole('form', { name: 'Iris' }).getByRole('alert')).toHaveText(
    'That access key is not valid. Ask the operator of this server for one.',
  );
  await expect(key).toHaveAttribute('aria-invalid', 'true');

  await key.fill(E2E_KEYS[1]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await expect(key).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Access key')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Access key')).toBeVisible();
});

test('a chat’s address asks for the key too', async ({ page, signIn, pageErrors }) => {
  await page.goto('/c/some-chat-id');
  await expect(page.getByLabel('Access key')).toBeVisible();
  await expect(page.getByTestId('composer-input')).toHaveCount(0);
  await signIn(E2E_KEYS[2]);
  // Signed in, the address is looked up (and this one does not exist; the browser logs that 404 itself).
  pageErrors.expect(/Failed to load resource: the server responded with a status of 404/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'No such chat' })).toBeVisible();
  await expect(page.getByLabel('Access key')).toHaveCount(0);
});

test('after sign-out, the next person to sign in in the same tab sees none of the previous one’s chats', async ({
  page,
  chat,
  pageErrors,
}) => {
  const secret = `A private question ${Date.now()}`;
  await chat.ask(secret);
  const id = await chat.chatId();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Access key')).toBeVisible();
  await page.getByLabel('Access key').fill(E2E_KEYS[2]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await expect(page.getByTestId('chat-list')).not.toContainText(secret);

  // The other owner's chat is a 404 for this one (the browser logs that itself).
  pageErrors.expect(/Failed to load resource: the server responded with a status of 404/);
  await page.goto(`/c/${id}`);
  await expect(page.getByRole('heading', { name: 'No such chat' })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
});
