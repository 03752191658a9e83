'use client';

import type { FileUIPart } from 'ai';
import { AlertTriangle, BarChart3, Info, Pencil, RefreshCw, WifiOff } from 'lucide-react';
import { memo, useState } from 'react';
import { MessageEditor } from '@/components/chat/message-editor';
import { MessageImages } from '@/components/chat/message-images';
import { imagesOfMessage, reasoningOfMessage, textOfMessage } from '@/components/chat/message-parts';
import { VersionSwitch } from '@/components/chat/version-switch';
import { CopyButton } from '@/components/copy-button';
import { IconButton } from '@/components/icon-button';
import { Markdown } from '@/components/markdown';
import { Button } from '@/components/ui/button';
import type { IrisUIMessage } from '@/lib/client/chats-api';
import { isConnectionLost } from '@/lib/client/live-answers';

export interface MessageActions {
  onEdit: (messageId: string, edit: { text: string; images: FileUIPart[] }) => void;
  onRegenerate: (messageId: string) => void;
  /** Asks for the rest of an answer cut short by the token limit, in the same chat. */
  onContinue: () => void;
  onOpenImages: (images: FileUIPart[], index: number) => void;
  /** Shows another version of a message (and the conversation that followed it). */
  onSwitchVersion: (messageId: string) => void;
  /** An answer whose stream was cut: rejoin it if it still runs, else ask again. */
  onRetryLost: (messageId: string) => void;
}

/**
 * One message. Memoised on the message object: while an answer streams only its own object changes, so the
 * rest of a long chat does not re-render on every token.
 */
export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  return props.message.role === 'user' ? <UserMessage {...props} /> : <AssistantMessage {...props} />;
});

interface MessageItemProps {
  message: IrisUIMessage;
  /** This message is the answer being written right now. */
  streaming: boolean;
  /** Some answer is on its way; editing and regenerating wait for it. */
  busy: boolean;
  isLastAnswer: boolean;
  actions: MessageActions;
}

function UserMessage({ message, busy, actions }: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const text = textOfMessage(message);
  const images = imagesOfMessage(message);
  if (editing) {
    return (
      <MessageEditor
        text={text}
        images={images}
        busy={busy}
        onCancel={() => setEditing(false)}
        onSave={(edit) => {
          setEditing(false);
          actions.onEdit(message.id, edit);
        }}
      />
    );
  }
  return (
    <article
      data-testid="message"
      data-role="user"
      aria-label="Your message"
      className="group flex flex-col items-end gap-2"
    >
      <MessageImages images={images} onOpen={(index) => actions.onOpenImages(images, index)} />
      {text && (
        <div className="max-w-[85%] rounded-2xl bg-surface-muted px-4 py-2.5 break-words whitespace-pre-wrap">
          {text}
        </div>
      )}
      <div className="flex items-center gap-0.5">
        <VersionSwitch
          messageId={message.id}
          versions={message.metadata?.versions}
          disabled={busy}
          onSwitch={actions.onSwitchVersion}
        />
        <IconButton label="Edit message" size="sm" onClick={() => setEditing(true)} disabled={busy}>
          <Pencil aria-hidden className="size-4" />
        </IconButton>
        {text && <CopyButton text={text} label="Copy message" />}
      </div>
    </article>
  );
}

function AssistantMessage({ message, streaming, busy, isLastAnswer, actions }: MessageItemProps) {
  const [showUsage, setShowUsage] = useState(false);
  const text = textOfMessage(message);
  const reasoning = reasoningOfMessage(message);
  const { status, error, usage, finishReason, notice, model } = message.metadata ?? {};
  const waiting = streaming && !text;
  const lost = isConnectionLost(message);

  return (
    <article
      data-testid="message"
      data-role="assistant"
      data-status={streaming ? 'streaming' : (status ?? 'complete')}
      aria-label="Gemini's answer"
      aria-busy={streaming}
      className="flex flex-col gap-2"
    >
      {notice && (
        <p data-testid="model-notice" className="flex items-center gap-1.5 text-xs text-fg-muted">
          <Info aria-hidden className="size-3.5 shrink-0" />
          {notice}
        </p>
      )}
      {reasoning && (
        <details className="rounded-lg border border-line px-3 py-2 text-sm text-fg-muted">
          <summary className="cursor-pointer select-none font-medium">Thoughts</summary>
          <p className="mt-2 whitespace-pre-wrap">{reasoning}</p>
        </details>
      )}
      {waiting ? (
        <p className="flex items-center gap-2 text-fg-muted">
          <span className="inline-flex gap-1" aria-hidden>
            <span className="size-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.3s]" />
            <span className="size-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.15s]" />
            <span className="size-1.5 animate-bounce rounded-full bg-current" />
          </span>
          Looking…
        </p>
      ) : (
        text && (
          <div data-testid="answer-text" className="min-w-0">
            <Markdown text={text} streaming={streaming} />
          </div>
        )
      )}
      {!streaming && status === 'stopped' && (
        <p data-testid="end-note" className="text-xs text-fg-muted">
          Stopped by you{text ? '' : ' before any answer'}.
        </p>
      )}
      {!streaming && status === 'interrupted' && (
        <p data-testid="end-note" className="flex items-center gap-1.5 text-xs text-warning-fg">
          <AlertTriangle aria-hidden className="size-3.5 shrink-0" />
          Interrupted: the server stopped before this answer finished{text ? '' : ', before any of it was written'}.
        </p>
      )}
      {!streaming && status === 'complete' && finishReason === 'length' && (
        <p data-testid="end-note" className="flex items-center gap-2 text-xs text-fg-muted">
          Cut short: token limit.
          {isLastAnswer && (
            <Button
              variant="link"
              size="inline"
              onClick={actions.onContinue}
              disabled={busy}
              className="text-accent-fg"
            >
              Continue
            </Button>
          )}
        </p>
      )}
      {!streaming && status === 'complete' && finishReason === 'content-filter' && (
        <p data-testid="end-note" className="flex items-center gap-1.5 text-xs text-warning-fg">
          <AlertTriangle aria-hidden className="size-3.5 shrink-0" />
          {text ? 'Cut short: blocked by Gemini’s safety filter' : 'Blocked by Gemini’s safety filter'}
          {message.metadata?.finishDetail ? ` (${message.metadata.finishDetail}).` : '.'}
        </p>
      )}
      {!streaming && status === 'streaming' && (
        <p className="text-xs text-fg-muted">
          This answer was still being written when the page loaded. Reload in a moment to see it.
        </p>
      )}
      {!streaming && lost && (
        <p data-testid="end-note" className="flex items-center gap-2 text-xs text-fg-muted">
          <WifiOff aria-hidden className="size-3.5 shrink-0" />
          Connection lost{text ? '; the answer so far is kept' : ''}.
          {isLastAnswer && (
            <Button variant="ghost" size="sm" onClick={() => actions.onRetryLost(message.id)} disabled={busy}>
              Retry
            </Button>
          )}
        </p>
      )}
      {!streaming && status === 'error' && !lost && (
        <div
          role="alert"
          className="flex items-start gap-2 rounded-lg border border-danger-line bg-danger-soft px-3 py-2 text-sm text-danger-fg"
        >
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
          <p className="flex-1">{error ?? 'The answer failed.'}</p>
          {isLastAnswer && (
            <Button
              variant="link"
              size="inline"
              onClick={() => actions.onRegenerate(message.id)}
              disabled={busy}
              className="px-2"
            >
              Retry
            </Button>
          )}
        </div>
      )}
      {!streaming && (
        <div className="flex flex-wrap items-center gap-0.5">
          <VersionSwitch
            messageId={message.id}
            versions={message.metadata?.versions}
            disabled={busy}
            onSwitch={actions.onSwitchVersion}
          />
          {text && <CopyButton text={text} label="Copy answer" />}
          {isLastAnswer && status !== 'error' && (
            <IconButton
              label="Regenerate answer"
              size="sm"
              onClick={() => actions.onRegenerate(message.id)}
              disabled={busy}
            >
              <RefreshCw aria-hidden className="size-4" />
            </IconButton>
          )}
          {usage && (
            <IconButton
              label="Token usage"
              size="sm"
              onClick={() => setShowUsage((shown) => !shown)}
              aria-expanded={showUsage}
            >
              <BarChart3 aria-hidden className="size-4" />
            </IconButton>
          )}
          {model && (
            <span data-testid="answer-model" className="px-1 text-xs text-fg-muted">
              {model}
            </span>
          )}
          {showUsage && usage && (
            <p data-testid="usage" className="px-1 text-xs text-fg-muted tabular-nums">
              {describeUsage(usage, finishReason)}
            </p>
          )}
        </div>
      )}
    </article>
  );
}

function describeUsage(usage: Record<string, number>, finishReason: string | null | undefined): string {
  const parts = [
    `${(usage.promptTokens ?? 0).toLocaleString()} in`,
    `${(usage.completionTokens ?? 0).toLocaleString()} out`,
  ];
  if (usage.reasoningTokens) parts.push(`${usage.reasoningTokens.toLocaleString()} thinking`);
  parts.push(`${(usage.totalTokens ?? 0).toLocaleString()} tokens in all`);
  if (finishReason && finishReason !== 'stop') parts.push(`ended: ${finishReason}`);
  return parts.join(' · ');
}
