'use client';

import type { ChatStatus } from 'ai';
import { AlertTriangle, ArrowDown, ImagePlus } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type MessageActions, MessageItem } from '@/components/chat/message-item';
import { Button } from '@/components/ui/button';
import type { IrisUIMessage } from '@/lib/client/chats-api';

// Within this many pixels of the end counts as "reading the latest", so new tokens keep the view pinned.
const PINNED_SLACK_PX = 80;

export function MessageList({
  messages,
  status,
  error,
  actions,
  onRetry,
}: {
  messages: IrisUIMessage[];
  status: ChatStatus;
  error: Error | undefined;
  actions: MessageActions;
  /** Without it the error has no Retry (the message is back in the composer instead). */
  onRetry?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(true);
  const busy = status === 'submitted' || status === 'streaming';
  const lastAnswerIndex = messages.findLastIndex((m) => m.role === 'assistant');

  // Follows the answer as it grows, unless the reader scrolled up to read something else.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of the messages
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && pinned) element.scrollTop = element.scrollHeight;
  }, [messages, status]);

  useEffect(() => {
    // A chat opened from the list starts at its latest message.
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  // The failed request's message, when the server could not even start an answer (the answer itself keeps its own).
  const lastAnswer = messages[lastAnswerIndex];
  const showRequestError =
    status === 'error' && error && !(lastAnswerIndex === messages.length - 1 && lastAnswer?.metadata?.error);

  const requestError = showRequestError && (
    <div
      role="alert"
      data-testid="chat-error"
      className="flex items-start gap-2 rounded-lg border border-danger-line bg-danger-soft px-3 py-2 text-sm text-danger-fg"
    >
      <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
      <p className="flex-1">{error.message || 'Something went wrong.'}</p>
      {onRetry && (
        <Button variant="link" size="inline" onClick={onRetry} className="px-2">
          Retry
        </Button>
      )}
    </div>
  );

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          setPinned(element.scrollHeight - element.scrollTop - element.clientHeight < PINNED_SLACK_PX);
        }}
        className="h-full overflow-y-auto"
        data-testid="message-list"
      >
        {messages.length === 0 ? (
          <>
            <EmptyState />
            {requestError && <div className="mx-auto w-full max-w-3xl px-4 pb-6">{requestError}</div>}
          </>
        ) : (
          // The bottom padding keeps the last line clear of the jump-to-latest button.
          <div
            role="log"
            aria-label="Messages"
            className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 pt-6 pb-16"
          >
            {messages.map((message, index) => (
              <MessageItem
                key={message.id}
                message={message}
                streaming={busy && index === messages.length - 1 && message.role === 'assistant'}
                busy={busy}
                isLastAnswer={index === lastAnswerIndex && index === messages.length - 1}
                actions={actions}
              />
            ))}
            {status === 'submitted' && messages.at(-1)?.role === 'user' && (
              <p className="flex items-center gap-2 text-fg-muted" data-testid="waiting">
                <span className="size-2 animate-pulse rounded-full bg-iris-500" aria-hidden />
                Sending…
              </p>
            )}
            {requestError}
          </div>
        )}
      </div>
      {!pinned && messages.length > 0 && (
        <Button
          size="icon"
          shape="pill"
          onClick={() => {
            const element = scroller.current;
            element?.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
          }}
          aria-label="Jump to the latest message"
          className="absolute bottom-3 left-1/2 -translate-x-1/2 shadow-md"
        >
          <ArrowDown aria-hidden className="size-4" />
        </Button>
      )}
    </div>
  );
}

function EmptyState() {
  return (
    <div className="mx-auto flex h-full max-w-md flex-col items-center justify-center gap-3 px-6 text-center">
      <ImagePlus aria-hidden className="size-10 text-iris-500" />
      <h2 className="text-xl font-semibold">Ask Gemini about your images</h2>
      {/* Touch screens have no window to drop onto; they have a camera. */}
      <p className="text-fg-muted pointer-coarse:hidden" data-testid="empty-hint">
        Drop photos anywhere on this window, paste a screenshot, or attach them with the paperclip. Then ask a question
        — or send the images alone.
      </p>
      <p className="hidden text-fg-muted pointer-coarse:block" data-testid="empty-hint-touch">
        Take a photo with the camera button or pick images with the paperclip. Then ask a question — or send the images
        alone.
      </p>
    </div>
  );
}
