import { CHAT_IMAGE_MAX_EDGE } from './support/env.ts';
import { allFakeRequests, type RecordedRequest, uniqueTag, waitForFakeRequests } from './support/fake-gemini.ts';
import { dimensionsOf, filesInPage, jpegInPage, makePng, sha256 } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';

/** A PNG no other test sends, so its hash finds its request even without a tag. */
function uniquePng(width: number, height: number) {
  return makePng(width, height, Math.floor(Math.random() * 1_000_000));
}

/** The fake's requests that carried an image with this hash (for messages without text, hence without a tag). */
async function requestsWithImage(hash: string): Promise<RecordedRequest[]> {
  return (await allFakeRequests()).filter((r) => r.images.some((image) => image.sha256 === hash));
}

test('a dropped image reaches Gemini byte for byte, and the answer streams in', async ({ chat, page, screens }) => {
  const tag = uniqueTag('drop');
  const png = uniquePng(64, 48);
  const files = await filesInPage(page, [{ name: 'dropped.png', mimeType: 'image/png', buffer: png }]);

  const drag = await chat.dragOver(files);
  await expect(chat.dropOverlay).toBeVisible();
  await screens.save('drop-overlay');
  await drag.drop();
  await expect(chat.dropOverlay).toBeHidden();
  await chat.expectAttachmentsDone(1);

  const progress = await chat.recordAnswerProgress();
  await chat.send(`What is in this picture? [tag:${tag}] [fake:chunks:5] [fake:chunk-delay:250]`);
  await chat.expectLastAnswer('complete');
  await expect(chat.stopButton).toBeHidden();

  // Written piece by piece, with Stop offered all along, rather than appearing at once when done.
  const whileStreaming = (await progress.snapshots()).filter(
    (s) => s.textLength > 0 && s.status === 'streaming' && s.stopVisible,
  );
  expect(new Set(whileStreaming.map((s) => s.textLength)).size).toBeGreaterThanOrEqual(2);

  const [request] = await waitForFakeRequests(tag);
  // A small PNG needs no resizing: Gemini must get exactly the bytes that were dropped.
  expect(request?.images).toEqual([{ mimeType: 'image/png', bytes: png.length, sha256: sha256(png) }]);
  await expect(chat.lastAnswerText).toContainText(`sha256 ${sha256(png).slice(0, 12)}`);
  await expect(chat.tray).toBeHidden();
  await screens.save('chat-with-image-answer');
});

test('a large photo is downscaled in the browser before Gemini sees it', async ({ chat, page }) => {
  const tag = uniqueTag('large');
  const photo = await jpegInPage(page, { name: 'holiday.jpg', width: 3000, height: 2000 });

  await chat.drop(photo.files);
  await chat.expectAttachmentsDone(1);
  // The work ran in the production build's Web Worker, not on the main thread (the fallback).
  expect(page.workers()).toHaveLength(1);
  // The thumbnail says how much smaller the upload is than the original.
  await expect(chat.attachments.first()).toHaveAttribute('aria-label', /holiday\.jpg: .+ → .+/);
  await chat.send(`Describe the photo. [tag:${tag}]`);
  await chat.expectLastAnswer('complete');

  const [request] = await waitForFakeRequests(tag);
  expect(request?.images).toHaveLength(1);
  const sent = request?.images[0];
  expect(sent?.mimeType).toBe('image/jpeg');

  // The image the message shows is the uploaded one; Gemini got exactly it, at most CHAT_IMAGE_MAX_EDGE wide.
  const [url] = await chat.messageImageUrls();
  expect(url).toMatch(/^\/api\/files\/[^/]+$/);
  const response = await page.request.get(url ?? '');
  expect(response.status()).toBe(200);
  const uploaded = await response.body();
  expect(sha256(uploaded)).toBe(sent?.sha256);
  expect(dimensionsOf(uploaded)).toEqual({ width: CHAT_IMAGE_MAX_EDGE, height: Math.round((2000 * 1024) / 3000) });
  expect(uploaded.length).toBeLessThan(photo.bytes);
});

test('a pasted image and a picked one can be sent without any text', async ({ chat, page }) => {
  const pasted = uniquePng(40, 30);
  const picked = uniquePng(30, 40);

  await chat.composer.focus();
  await chat.paste(await filesInPage(page, [{ name: 'screenshot.png', mimeType: 'image/png', buffer: pasted }]));
  await chat.expectAttachmentsDone(1);
  await chat.attachWithPicker([{ name: 'picked.png', mimeType: 'image/png', buffer: picked }]);
  await chat.expectAttachmentsDone(2);
  await expect(chat.composer).toHaveValue('');

  await chat.send('');
  await chat.expectLastAnswer('complete');
  await expect(chat.userMessages.first().locator('img')).toHaveCount(2);

  await expect.poll(async () => (await requestsWithImage(sha256(pasted))).length).toBe(1);
  const [request] = await requestsWithImage(sha256(pasted));
  expect(request?.images.map((image) => image.sha256).sort()).toEqual([sha256(pasted), sha256(picked)].sort());
  await expect(chat.lastAnswerText).toContainText('received 2 images');
});

test('a removed image is not sent', async ({ chat, page }) => {
  const tag = uniqueTag('remove');
  const kept = uniquePng(20, 20);
  const removed = uniquePng(21, 21);
  await chat.drop(
    await filesInPage(page, [
      { name: 'keep.png', mimeType: 'image/png', buffer: kept },
      { name: 'drop-me.png', mimeType: 'image/png', buffer: removed },
    ]),
  );
  await chat.expectAttachmentsDone(2);
  await page.getByRole('button', { name: 'Remove drop-me.png' }).click();
  await chat.expectAttachmentsDone(1);

  await chat.send(`Only one image, please. [tag:${tag}]`);
  await chat.expectLastAnswer('complete');
  const [request] = await waitForFakeRequests(tag);
  expect(request?.images.map((image) => image.sha256)).toEqual([sha256(kept)]);
});
