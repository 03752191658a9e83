'use client';

import { X } from 'lucide-react';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { ChatSummary } from '@/lib/client/chats-api';
import { download, exportUrl } from '@/lib/client/share-api';
import { ChatItemMenu } from './chat-item-menu';
import { RenameChatForm } from './rename-chat-form';

/** One chat in the sidebar: its link (or the rename field), its options menu, and what went wrong with it last. */
export function ChatListItem(props: {
  chat: ChatSummary;
  active: boolean;
  error: string | null;
  onNavigate?: () => void;
  onRename: (title: string) => void;
  onRequestDelete: () => void;
  onRequestShare: () => void;
  onDismissError: () => void;
}) {
  const { chat, active, error, onNavigate, onRename, onRequestDelete, onRequestShare, onDismissError } = props;
  const [renaming, setRenaming] = useState(false);
  const linkRef = useRef<HTMLAnchorElement>(null);

  function stopRenaming() {
    setRenaming(false);
    // Enter and Esc leave focus nowhere once the field goes: keyboard users continue from the chat they renamed.
    // A click elsewhere already put focus where the user wanted it.
    requestAnimationFrame(() => {
      const focused = document.activeElement;
      if (!focused || focused === document.body) linkRef.current?.focus();
    });
  }

  return (
    <li data-testid="chat-list-item" data-chat-id={chat.id}>
      {renaming ? (
        <RenameChatForm
          title={chat.title}
          onCancel={stopRenaming}
          onSave={(title) => {
            stopRenaming();
            onRename(title);
          }}
        />
      ) : (
        <div className="group relative">
          <Link
            ref={linkRef}
            href={`/c/${chat.id}`}
            title={chat.title}
            aria-current={active ? 'page' : undefined}
            aria-keyshortcuts="ArrowRight Shift+F10"
            onClick={onNavigate}
            onKeyDown={(event) => {
              // One Tab stop per chat: its options are a → (or the menu key) away, not another Tab.
              const trigger =
                event.currentTarget.parentElement?.querySelector<HTMLButtonElement>('[aria-haspopup="menu"]');
              if (!trigger) return;
              if (event.key === 'ArrowRight') {
                event.preventDefault();
                trigger.focus();
              } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
                event.preventDefault();
                trigger.focus();
                trigger.click();
              }
            }}
            className={`block truncate rounded-lg py-2 pr-9 pl-3 text-sm focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-iris-500 ${
              active ? 'bg-surface-strong font-medium text-fg' : 'text-fg-soft group-hover:bg-surface-muted'
            }`}
          >
            {chat.title}
          </Link>
          <ChatItemMenu
            title={chat.title}
            revealed={active}
            onRename={() => {
              onDismissError();
              setRenaming(true);
            }}
            onShare={() => {
              onDismissError();
              onRequestShare();
            }}
            onExport={(format) => download(exportUrl(chat.id, format))}
            onDelete={() => {
              onDismissError();
              onRequestDelete();
            }}
          />
        </div>
      )}
      {error && (
        <div role="alert" className="flex items-start gap-1 px-3 pt-1 pb-2 text-xs text-danger">
          <p className="min-w-0 flex-1 break-words">{error}</p>
          <Button
            variant="bare"
            size="icon-xs"
            aria-label="Dismiss"
            onClick={onDismissError}
            className="-m-1 rounded hover:bg-danger-soft"
          >
            <X aria-hidden className="size-3.5" />
          </Button>
        </div>
      )}
    </li>
  );
}
