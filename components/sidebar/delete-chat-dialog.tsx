'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { ChatSummary } from '@/lib/client/chats-api';

/**
 * Asks before a chat is deleted for good. Open while `chat` is set. Cancel has focus, so Enter or Esc from the
 * keyboard never deletes by accident; a click on the backdrop cancels too.
 */
export function DeleteChatDialog(props: {
  chat: ChatSummary | null;
  onCancel: () => void;
  onConfirm: (chat: ChatSummary) => void;
}) {
  const { chat, onCancel, onConfirm } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The title stays while the dialog closes, rather than flashing empty.
  const [shownTitle, setShownTitle] = useState('');
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (chat) {
      setShownTitle(chat.title);
      if (!dialog.open) dialog.showModal();
      cancelRef.current?.focus();
    } else if (dialog.open) {
      dialog.close();
    }
  }, [chat]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click mirrors Esc, which the dialog handles natively
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onClose={onCancel}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself; clicks inside land on its children.
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold break-words">
          Delete “{chat?.title ?? shownTitle}”?
        </h2>
        <p id={descriptionId} className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Its messages and images are deleted for good.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <button
            ref={cancelRef}
            type="button"
            onClick={() => dialogRef.current?.close()}
            className="h-9 rounded-lg border border-zinc-300 px-4 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500 dark:border-zinc-600 dark:hover:bg-zinc-800"
          >
            Cancel
          </button>
          <button
            type="button"
            onClick={() => chat && onConfirm(chat)}
            className="h-9 rounded-lg bg-red-600 px-4 text-sm font-medium text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500"
          >
            Delete
          </button>
        </div>
      </div>
    </dialog>
  );
}
