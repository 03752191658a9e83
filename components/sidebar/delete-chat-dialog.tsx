'use client';

import { useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { closeDialogOf, Dialog } from '@/components/ui/dialog';
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
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The title stays while the dialog closes, rather than flashing empty.
  const [shownTitle, setShownTitle] = useState('');
  if (chat && chat.title !== shownTitle) setShownTitle(chat.title);
  const titleId = useId();
  const descriptionId = useId();

  return (
    <Dialog
      open={chat !== null}
      onClose={onCancel}
      initialFocus={cancelRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      width="sm"
      className="rounded-xl"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold break-words">
          Delete “{chat?.title ?? shownTitle}”?
        </h2>
        <p id={descriptionId} className="mt-2 text-sm text-fg-muted">
          Its messages and images are deleted for good.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button ref={cancelRef} onClick={(event) => closeDialogOf(event.currentTarget)}>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => chat && onConfirm(chat)}>
            Delete
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
