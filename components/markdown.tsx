'use client';

import { Component, lazy, memo, type ReactNode, Suspense, useSyncExternalStore } from 'react';

export interface MarkdownProps {
  /** The answer so far: markdown, possibly cut off mid-syntax while it streams. */
  text: string;
  /** True while more text may arrive; lets the renderer close unfinished syntax instead of showing it raw. */
  streaming: boolean;
}

// The renderer pulls in streamdown (~150 KB gzipped); a dynamic import keeps it out of first-load JS.
const loadRenderer = () => import('./markdown-renderer');
const MarkdownRenderer = lazy(() => loadRenderer().then((module) => ({ default: module.MarkdownRenderer })));

/** Starts fetching the renderer early (e.g. when the chat view mounts) so the first answer formats sooner. */
export function preloadMarkdown(): void {
  loadRenderer().catch(() => {
    // A failed preload is retried by the real render, which then shows its plain-text fallback.
  });
}

const subscribeToNothing = () => () => {};

/** False during server rendering and hydration, true afterwards: the renderer is client-only. */
function useIsClient(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

/** If the renderer chunk fails to load (flaky network) or throws, the answer stays readable as plain text. */
class PlainTextOnError extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/**
 * Renders an answer as markdown. Until the renderer has loaded (and on the server) the raw text is shown with
 * its line breaks, so there is never a blank space or a collapse while the chunk arrives.
 *
 * Memoised on (text, streaming): while one answer streams, finished messages do not re-render.
 */
export const Markdown = memo(function Markdown({ text, streaming }: MarkdownProps) {
  const isClient = useIsClient();
  const plainText = <div className="wrap-break-word whitespace-pre-wrap">{text}</div>;
  if (!isClient) return plainText;
  return (
    <PlainTextOnError fallback={plainText}>
      <Suspense fallback={plainText}>
        <MarkdownRenderer text={text} streaming={streaming} />
      </Suspense>
    </PlainTextOnError>
  );
});
