'use client';

import type { FileUIPart } from 'ai';
import { ArrowUp, Camera, Paperclip, Square } from 'lucide-react';
import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { AttachmentTray } from '@/components/composer/attachment-tray';
import { type AttachmentLimits, useAttachments } from '@/components/composer/use-attachments';
import { IconButton } from '@/components/icon-button';
import { useShell } from '@/components/shell-context';

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
  restoreDraft = 0,
}: {
  answering: boolean;
  limits: AttachmentLimits;
  onSend: (message: ComposerMessage) => void;
  onStop: () => void;
  autoFocus?: boolean;
  /** Raised by one when the last message was not sent (storage unreachable): it comes back into the box. */
  restoreDraft?: number;
}) {
  const shell = useShell();
  const [text, setText] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const { attachments, add, remove, clear, restore, busy, ready } = useAttachments(limits);
  const lastSent = useRef<{ text: string; attachments: ReturnType<typeof clear> } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when a restore is asked for
  useEffect(() => {
    const draft = lastSent.current;
    if (restoreDraft === 0 || !draft) return;
    lastSent.current = null;
    setText((current) => (current.trim() ? current : draft.text));
    restore(draft.attachments);
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
  const canSend = hasContent && !busy && !answering;
  const failed = attachments.filter((a) => a.status === 'error').length;

  function send() {
    if (!canSend) return;
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
    textarea.current?.focus();
  }

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

  const hint = busy
    ? 'Waiting for images to finish uploading…'
    : failed > 0
      ? `${failed === 1 ? 'One image' : `${failed} images`} could not be added and will not be sent.`
      : null;

  return (
    <form onSubmit={onSubmit} className="mx-auto w-full max-w-3xl px-3 pb-3 sm:px-4 sm:pb-4" aria-label="Message">
      <div className="rounded-2xl border border-zinc-300 bg-white shadow-sm focus-within:border-iris-500 dark:border-zinc-700 dark:bg-zinc-900">
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
          <p
            id="composer-hint"
            role="status"
            className="min-w-0 flex-1 truncate px-1 text-xs text-zinc-500 dark:text-zinc-400"
          >
            {hint ?? <span className="max-sm:hidden">Enter to send · Shift+Enter for a new line</span>}
          </p>
          {answering ? (
            <button
              type="button"
              onClick={onStop}
              data-testid="stop-button"
              aria-label="Stop the answer"
              title="Stop (Esc)"
              className="grid size-9 place-items-center rounded-full bg-zinc-900 text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500 dark:bg-zinc-100 dark:text-zinc-900"
            >
              <Square aria-hidden className="size-3.5 fill-current" />
            </button>
          ) : (
            <button
              type="submit"
              disabled={!canSend}
              data-testid="send-button"
              aria-label="Send"
              className="grid size-9 place-items-center rounded-full bg-iris-600 text-white hover:bg-iris-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500 disabled:bg-zinc-300 disabled:text-zinc-500 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-400"
            >
              <ArrowUp aria-hidden className="size-5" />
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
