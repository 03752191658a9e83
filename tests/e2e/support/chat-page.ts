import { expect, type JSHandle, type Locator, type Page } from '@playwright/test';
import type { FileSpec } from './files.ts';

export type AnswerStatus = 'streaming' | 'complete' | 'stopped' | 'interrupted' | 'error';

/** What the answer looked like at one moment while it was written (see recordAnswerProgress). */
export interface AnswerSnapshot {
  at: number;
  textLength: number;
  status: string | null;
  stopVisible: boolean;
}

/** The chat screen as a person uses it: the composer, the attachment tray, the conversation. */
export class ChatPage {
  readonly composer: Locator;
  readonly sendButton: Locator;
  readonly stopButton: Locator;
  readonly attachButton: Locator;
  readonly tray: Locator;
  readonly attachments: Locator;
  readonly messages: Locator;
  readonly userMessages: Locator;
  readonly answers: Locator;
  readonly dropOverlay: Locator;
  readonly modelPicker: Locator;
  readonly sidebar: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByTestId('composer-input');
    this.sendButton = page.getByTestId('send-button');
    this.stopButton = page.getByTestId('stop-button');
    this.attachButton = page.getByRole('button', { name: 'Attach images' });
    this.tray = page.getByTestId('attachment-tray');
    this.attachments = page.getByTestId('attachment');
    this.messages = page.getByTestId('message');
    this.userMessages = page.locator('[data-testid="message"][data-role="user"]');
    this.answers = page.locator('[data-testid="message"][data-role="assistant"]');
    this.dropOverlay = page.getByTestId('drop-overlay');
    this.modelPicker = page.getByTestId('model-picker');
    this.sidebar = page.getByTestId('chat-list');
  }

  get lastAnswer(): Locator {
    return this.answers.last();
  }

  get lastAnswerText(): Locator {
    return this.lastAnswer.getByTestId('answer-text');
  }

  async gotoNewChat(): Promise<void> {
    await this.page.goto('/');
    await expect(this.composer).toBeVisible();
  }

  async gotoChat(id: string): Promise<void> {
    await this.page.goto(`/c/${encodeURIComponent(id)}`);
  }

  /** The chat's id, once its first message has given it an address. */
  async chatId(): Promise<string> {
    await expect(this.page).toHaveURL(/\/c\/[^/]+$/);
    const match = /\/c\/([^/?#]+)/.exec(this.page.url());
    if (!match?.[1]) throw new Error(`no chat id in ${this.page.url()}`);
    return decodeURIComponent(match[1]);
  }

  /** Through the paperclip button and the browser's file chooser, as a person picks files. */
  async attachWithPicker(files: FileSpec[]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.attachButton.click();
    await (await chooser).setFiles(files);
  }

  /**
   * Starts dragging files over the window: dragenter and dragover on the element in the middle of the viewport,
   * where a real drag would be. The returned session drops them there (or leaves without dropping).
   */
  async dragOver(files: JSHandle<File[]>): Promise<{ drop: () => Promise<void>; leave: () => Promise<void> }> {
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const transfer = new DataTransfer();
      for (const file of list) transfer.items.add(file);
      return transfer;
    }, files);
    const target = await this.page.evaluateHandle(
      () => document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2) ?? document.body,
    );
    const fire = (type: string) =>
      target.evaluate(
        (element, { type, transfer }) => {
          element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        },
        { type, transfer: dataTransfer },
      );
    await fire('dragenter');
    await fire('dragover');
    return { drop: () => fire('drop'), leave: () => fire('dragleave') };
  }

  /** Drops files anywhere on the window and waits for the overlay to go. */
  async drop(files: JSHandle<File[]>): Promise<void> {
    const drag = await this.dragOver(files);
    await expect(this.dropOverlay).toBeVisible();
    await drag.drop();
    await expect(this.dropOverlay).toBeHidden();
  }

  /** A paste with files on the clipboard, aimed where the keyboard focus is, as Ctrl+V would be. */
  async paste(files: JSHandle<File[]>): Promise<void> {
    await this.page.evaluate((list) => {
      const transfer = new DataTransfer();
      for (const file of list) transfer.items.add(file);
      const target = document.activeElement ?? document.body;
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, files);
  }

  /** Waits until the tray holds `count` images and all are uploaded. */
  async expectAttachmentsDone(count: number): Promise<void> {
    await expect(this.attachments).toHaveCount(count);
    for (let i = 0; i < count; i++) {
      await expect(this.attachments.nth(i)).toHaveAttribute('data-status', 'done');
    }
  }

  /** Types the text (if any) and presses Send. */
  async send(text: string): Promise<void> {
    if (text) await this.composer.fill(text);
    await expect(this.sendButton).toBeEnabled();
    await this.sendButton.click();
  }

  /** Waits for the last answer to settle in `status`. */
  async expectLastAnswer(status: AnswerStatus): Promise<void> {
    await expect(this.lastAnswer).toHaveAttribute('data-status', status);
  }

  /** Sends and waits for the whole answer; returns its text. */
  async ask(text: string): Promise<string> {
    const answersBefore = await this.answers.count();
    await this.send(text);
    await expect(this.answers).toHaveCount(answersBefore + 1);
    await this.expectLastAnswer('complete');
    return ((await this.lastAnswerText.textContent()) ?? '').trim();
  }

  /**
   * Records, from now on, every change of the last answer in the page itself (a MutationObserver), so a test can
   * tell afterwards whether the text really grew piece by piece while the Stop button was there.
   */
  async recordAnswerProgress(): Promise<{ snapshots: () => Promise<AnswerSnapshot[]> }> {
    await this.page.evaluate(() => {
      const log: AnswerSnapshot[] = [];
      const snapshot = () => {
        const answers = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
        const last = answers[answers.length - 1];
        const text = last?.querySelector('[data-testid="answer-text"]')?.textContent ?? '';
        const entry = {
          at: performance.now(),
          textLength: text.length,
          status: last?.getAttribute('data-status') ?? null,
          stopVisible: document.querySelector('[data-testid="stop-button"]') !== null,
        };
        const previous = log[log.length - 1];
        if (
          !previous ||
          previous.textLength !== entry.textLength ||
          previous.status !== entry.status ||
          previous.stopVisible !== entry.stopVisible
        ) {
          log.push(entry);
        }
      };
      const observer = new MutationObserver(snapshot);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      (window as unknown as { __answerLog: AnswerSnapshot[] }).__answerLog = log;
    });
    return {
      snapshots: () =>
        this.page.evaluate(() => (window as unknown as { __answerLog: AnswerSnapshot[] }).__answerLog.slice()),
    };
  }

  /** The `/api/files/<id>` addresses of the images shown in the user's messages. */
  async messageImageUrls(): Promise<string[]> {
    return this.userMessages
      .locator('img')
      .evaluateAll((images) => images.map((image) => new URL((image as HTMLImageElement).src).pathname));
  }

  /** Waits until every image in the conversation has loaded, and returns their natural widths. */
  async expectMessageImagesLoaded(count: number): Promise<number[]> {
    const images = this.userMessages.locator('img');
    await expect(images).toHaveCount(count);
    // They load lazily: each must come into view once, as it would while a person scrolls.
    for (let i = 0; i < count; i++) await images.nth(i).scrollIntoViewIfNeeded();
    await expect
      .poll(() => images.evaluateAll((list) => list.every((image) => (image as HTMLImageElement).complete)))
      .toBe(true);
    return images.evaluateAll((list) => list.map((image) => (image as HTMLImageElement).naturalWidth));
  }
}
