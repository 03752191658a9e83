'use client';

import { SquarePen } from 'lucide-react';
import Link from 'next/link';
import { type ReactNode, useEffect, useState } from 'react';
import { useIsApplePlatform } from '@/lib/client/use-apple-platform';
import { useChatList } from '@/lib/client/use-chat-list';
import { ChatList } from './chat-list';
import { ChatSearch } from './chat-search';
import { ImportChatsButton } from './import-chats-button';

const SEARCH_DEBOUNCE_MS = 250;

/**
 * The conversation sidebar: new chat, search, the chats grouped by date, and whatever the shell puts in `footer`.
 * It fills its container's width and height; only the list scrolls.
 */
export function Sidebar(props: {
  activeChatId: string | null;
  /** Called after any link click or new chat, so the shell can close the mobile drawer. */
  onNavigate?: () => void;
  /** Called once the server has deleted a chat, so the shell can leave /c/<id> when it was the open one. */
  onChatDeleted?: (id: string) => void;
  footer?: ReactNode;
}) {
  const { activeChatId, onNavigate, onChatDeleted, footer } = props;
  const [searchInput, setSearchInput] = useState('');
  const query = useDebounced(searchInput.trim(), SEARCH_DEBOUNCE_MS);
  const list = useChatList(query);

  return (
    <div className="flex h-full min-h-0 w-full flex-col bg-surface-sunken text-fg">
      <header className="flex flex-col gap-3 px-3 pt-3 pb-2">
        <p className="px-1 text-lg font-semibold tracking-tight">Iris</p>
        <NewChatLink onNavigate={onNavigate} />
        <ChatSearch value={searchInput} onChange={setSearchInput} busy={searchInput.trim() !== query || list.isStale} />
        <ImportChatsButton onImported={onNavigate} />
      </header>
      <ChatList list={list} activeChatId={activeChatId} onNavigate={onNavigate} onChatDeleted={onChatDeleted} />
      {footer && <div className="shrink-0 border-t border-line px-3 py-2">{footer}</div>}
    </div>
  );
}

function NewChatLink(props: { onNavigate?: () => void }) {
  const apple = useIsApplePlatform();
  return (
    <Link
      href="/"
      onClick={props.onNavigate}
      data-testid="new-chat"
      aria-keyshortcuts={apple ? 'Meta+Shift+O' : 'Control+Shift+O'}
      className="flex h-9 items-center gap-2 rounded-lg border border-line-strong bg-canvas px-3 text-sm font-medium text-fg shadow-xs hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500"
    >
      <SquarePen aria-hidden className="size-4 text-iris-600 dark:text-iris-500" />
      <span className="flex-1">New chat</span>
      {/* The shortcut is announced through aria-keyshortcuts; the hint is for the eyes. */}
      <kbd aria-hidden className="font-sans text-xs font-normal text-fg-muted pointer-coarse:hidden">
        {apple ? '⌘⇧O' : 'Ctrl+Shift+O'}
      </kbd>
    </Link>
  );
}

/** `value`, once it has stopped changing for `delayMs`; emptying it (clearing the search) applies at once. */
function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === '') {
      setSettled('');
      return;
    }
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
