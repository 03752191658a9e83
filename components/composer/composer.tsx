'use client';

import type { FileUIPart } from 'ai';
import { ArrowUp, Camera, Paperclip, Square } from 'lucide-react';
import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { AttachmentTray } from '@/components/composer/attachment-tray';
import { type AttachmentLimits, useAttachments } from '@/components/composer/use-attachments';
import { IconButton } from '@/components/icon-button';
import { useShell } from '@/components/shell-context';
import { Button } from '@/components/ui/button';
import { clearDraft, loadDraft, saveDraft } from '@/lib/client/drafts';

export interface ComposerMessage {
  text: string;
  files: FileUIPart[];
}

/**
 * Where a message is written: text, images (dropped, pasted, picked or photographed), Send, and Stop while an
 * answer is on its way (both while it is requested and while it streams).
 */
export function Composer({
  answering,
  limits,
  onSend,
  onStop,
  autoFocus,
  draftKey,
  restoreDraft = 0,
}: {
  answering: boolean;
  limits: AttachmentLimits;
  onSend: (message: ComposerMessage) => void;
  onStop: () => void;
  autoFocus?: boolean;
  /** Where this chat's unsent text and images are kept (lib/client/drafts.ts). */
  draftKey: string;
  /** Raised by one when the last message was not sent (storage unreachable): it comes back into the box. */
  restoreDraft?: number;
}) {
  const shell = useShell();
  // Read once: the composer is mounted afresh for every chat.
  const [draft] = useState(() => loadDraft(draftKey));
  const [text, setText] = useState(draft?.text ?? '');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const { attachments, add, remove, clear, restore, busy, ready } = useAttachments(limits, draft?.images);
  const lastSent = useRef<{ text: string; attachments: ReturnType<typeof clear> } | null>(null);
  // Enter while images are still uploading: the message goes as soon as they are done.
  const [queued, setQueued] = useState(false);

  useEffect(() => {
    saveDraft(draftKey, {
      text,
      images: ready.flatMap((a) => (a.uploaded ? [{ name: a.name, ...a.uploaded }] : [])),
    });
  }, [draftKey, text, ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when a restore is asked for
  useEffect(() => {
    const unsent = lastSent.current;
    if (restoreDraft === 0 || !unsent) return;
    lastSent.current = null;
    setText((current) => (current.trim() ? current : unsent.text));
    restore(unsent.attachments);
    textarea.current?.focus();
  }, [restoreDraft]);

  useEffect(() => {
    shell.onFiles(add);
    return () => shell.onFiles(null);
  }, [shell, add]);

  // Grows with its text up to a limit; `field-sizing` is not in every browser yet.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measured whenever the text changes
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 240)}px`;
  }, [text]);

  const hasContent = text.trim().length > 0 || ready.length > 0;
  // While images upload, Send (and Enter) queues the message rather than doing nothing.
  const canSend = hasContent && !answering && !queued;
  const failed = attachments.filter((a) => a.status === 'error').length;

  function send() {
    if (!hasContent || answering) return;
    if (busy) {
      setQueued(true);
      return;
    }
    setQueued(false);
    onSend({
      text: text.trim(),
      files: ready.flatMap((a) =>
        a.uploaded
          ? [{ type: 'file' as const, mediaType: a.uploaded.mediaType, url: a.uploaded.url, filename: a.name }]
          : [],
      ),
    });
    lastSent.current = { text, attachments: clear() };
    setText('');
    clearDraft(draftKey);
    textarea.current?.focus();
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: fires when the last upload ends, with the state of then
  useEffect(() => {
    if (!queued || busy) return;
    if (hasContent && !answering) send();
    else setQueued(false);
  }, [queued, busy]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  const hint = queued
    ? 'Sends when the images finish uploading…'
    : busy
      ? 'Waiting for images to finish uploading…'
      : failed > 0
        ? `${failed === 1 ? 'One image' : `${failed} images`} could not be added and will not be sent.`
        : null;

  return (
    <form onSubmit={onSubmit} className="mx-auto w-full max-w-3xl px-3 pb-3 sm:px-4 sm:pb-4" aria-label="Message">
      <div className="rounded-2xl border border-line-strong bg-surface shadow-sm focus-within:border-iris-500">
        <AttachmentTray attachments={attachments} onRemove={remove} />
        <label htmlFor="composer-input" className="sr-only">
          Ask about your images
        </label>
        <textarea
          id="composer-input"
          ref={textarea}
          data-testid="composer-input"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          rows={1}
          // biome-ignore lint/a11y/noAutofocus: a new chat's only purpose is to type the first question
          autoFocus={autoFocus}
          placeholder="Ask about your images… (drop, paste or attach them)"
          aria-describedby="composer-hint"
          className="block max-h-60 w-full resize-none bg-transparent px-4 pt-3 pb-2 text-base outline-none placeholder:text-zinc-400"
        />
        <div className="flex items-center gap-1 px-2 pb-2">
          <IconButton label="Attach images" onClick={shell.openFilePicker}>
            <Paperclip aria-hidden className="size-5" />
          </IconButton>
          <IconButton label="Take a photo" onClick={() => camera.current?.click()} className="md:hidden">
            <Camera aria-hidden className="size-5" />
          </IconButton>
          <input
            ref={camera}
            type="file"
            accept="image/*"
            capture="environment"
            hidden
            data-testid="camera-input"
            onChange={(event) => {
              add([...(event.target.files ?? [])]);
              event.target.value = '';
            }}
          />
          <p id="composer-hint" role="status" className="min-w-0 flex-1 truncate px-1 text-xs text-fg-muted">
            {hint ?? <span className="max-sm:hidden">Enter to send · Shift+Enter for a new line</span>}
          </p>
          {answering ? (
            <Button
              variant="inverted"
              size="icon"
              shape="pill"
              onClick={onStop}
              data-testid="stop-button"
              aria-label="Stop the answer"
              title="Stop (Esc)"
            >
              <Square aria-hidden className="size-3.5 fill-current" />
            </Button>
          ) : (
            <Button
              type="submit"
              variant="primary"
              size="icon"
              shape="pill"
              disabled={!canSend}
              data-testid="send-button"
              aria-label="Send"
              className="disabled:bg-surface-strong disabled:text-fg-muted disabled:opacity-100"
            >
              <ArrowUp aria-hidden className="size-5" />
            </Button>
          )}
        </div>
      </div>
    </form>
  );
}
