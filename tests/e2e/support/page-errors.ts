import type { Page } from '@playwright/test';

/**
 * Console errors and uncaught exceptions of a page. A test fails on any of them unless it declared the message
 * as expected (e.g. the browser's own "Failed to load resource: … 401" when a test sends a wrong key on purpose).
 */
export class PageErrors {
  private readonly seen: string[] = [];
  private readonly expected: RegExp[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url } = message.location();
      this.seen.push(`console.error: ${message.text()}${url ? ` (${url})` : ''}`);
    });
    page.on('pageerror', (error) => this.seen.push(`uncaught: ${error.message}`));
  }

  /** Declares a console error this test provokes on purpose; matching messages are not failures. */
  expect(pattern: RegExp): void {
    this.expected.push(pattern);
  }

  /** What went wrong that no test expected. */
  unexpected(): string[] {
    return this.seen.filter((line) => !this.expected.some((pattern) => pattern.test(line)));
  }
}
