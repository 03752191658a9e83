'use client';

import { RotateCw } from 'lucide-react';
import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { ChatSummary } from '@/lib/client/chats-api';
import { type ChatList as ChatListState, refreshChatList } from '@/lib/client/use-chat-list';
import { ChatListItem } from './chat-list-item';
import { DeleteChatDialog } from './delete-chat-dialog';
import { ShareChatDialog } from './share-chat-dialog';

/** The scrolling part of the sidebar: chats grouped by date, or what stands in for them (loading, empty, failed). */
export function ChatList(props: {
  list: ChatListState;
  activeChatId: string | null;
  onNavigate?: () => void;
  onChatDeleted?: (id: string) => void;
}) {
  const { list, activeChatId, onNavigate, onChatDeleted } = props;
  const navRef = useRef<HTMLElement>(null);
  const [pendingDelete, setPendingDelete] = useState<ChatSummary | null>(null);
  const [sharing, setSharing] = useState<ChatSummary | null>(null);
  // Kept here rather than in each item: an item that a failed delete brings back is a new one.
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const focusAfterRender = useRef<string | null>(null);
  const headingIdPrefix = useId();

  useEffect(() => {
    const target = focusAfterRender.current;
    if (target === null) return;
    focusAfterRender.current = null;
    const link = target && navRef.current?.querySelector<HTMLElement>(`[data-chat-id="${CSS.escape(target)}"] a`);
    (link || navRef.current)?.focus();
  });

  function setItemError(id: string, message: string | null) {
    setItemErrors(({ [id]: _previous, ...others }) => (message ? { ...others, [id]: message } : others));
  }

  async function rename(chat: ChatSummary, title: string) {
    setItemError(chat.id, null);
    try {
      await list.renameChat(chat.id, title);
      void refreshChatList();
    } catch (error) {
      setItemError(chat.id, `Could not rename: ${errorMessage(error)}`);
    }
  }

  async function remove(chat: ChatSummary) {
    setPendingDelete(null);
    setItemError(chat.id, null);
    // Focus would fall to the page with the removed item: the next chat (or the one above) takes it instead.
    focusAfterRender.current = neighbourOf(list.chats, chat.id) ?? '';
    try {
      await list.removeChat(chat.id);
      onChatDeleted?.(chat.id);
      void refreshChatList();
    } catch (error) {
      setItemError(chat.id, `Could not delete: ${errorMessage(error)}`);
    }
  }

  return (
    <>
      <nav
        ref={navRef}
        aria-label="Chats"
        aria-busy={list.isLoading || list.isStale}
        data-testid="chat-list"
        tabIndex={-1}
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-2 pb-3 focus:outline-none"
      >
        {list.isLoading ? (
          <ChatListSkeleton />
        ) : list.chats.length === 0 ? (
          list.error ? (
            <ListError error={list.error} onRetry={list.retry} />
          ) : (
            <p className="px-3 py-6 text-sm text-fg-muted">
              {list.shownQuery ? `No chats match “${list.shownQuery}”.` : 'Your conversations will appear here.'}
            </p>
          )
        ) : (
          <>
            <div className={list.isStale ? 'opacity-60 transition-opacity' : undefined}>
              {list.groups.map((group) => (
                <section key={group.key} aria-labelledby={`${headingIdPrefix}-${group.key}`}>
                  <h2
                    id={`${headingIdPrefix}-${group.key}`}
                    className="px-3 pt-4 pb-1 text-xs font-medium text-fg-muted"
                  >
                    {group.label}
                  </h2>
                  <ul>
                    {group.chats.map((chat) => (
                      <ChatListItem
                        key={chat.id}
                        chat={chat}
                        active={chat.id === activeChatId}
                        error={itemErrors[chat.id] ?? null}
                        onNavigate={onNavigate}
                        onRename={(title) => void rename(chat, title)}
                        onRequestDelete={() => setPendingDelete(chat)}
                        onRequestShare={() => setSharing(chat)}
                        onDismissError={() => setItemError(chat.id, null)}
                      />
                    ))}
                  </ul>
                </section>
              ))}
            </div>
            {list.error && <ListError error={list.error} onRetry={list.retry} />}
            {list.hasMore && !list.error && (
              <LoadMoreButton loading={list.isLoadingMore} onLoadMore={list.loadMore} scroller={navRef} />
            )}
          </>
        )}
      </nav>
      <DeleteChatDialog chat={pendingDelete} onCancel={() => setPendingDelete(null)} onConfirm={remove} />
      <ShareChatDialog chat={sharing} onClose={() => setSharing(null)} />
    </>
  );
}

/** A button, and also loads by itself when scrolled into view. */
function LoadMoreButton(props: { loading: boolean; onLoadMore: () => void; scroller: RefObject<HTMLElement | null> }) {
  const { loading, onLoadMore, scroller } = props;
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const button = buttonRef.current;
    if (!button || loading || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onLoadMore(), {
      root: scroller.current,
      rootMargin: '0px 0px 200px 0px',
    });
    observer.observe(button);
    return () => observer.disconnect();
  }, [loading, onLoadMore, scroller]);

  return (
    <Button
      ref={buttonRef}
      variant="ghost"
      onClick={onLoadMore}
      disabled={loading}
      className="mt-2 w-full font-normal focus-visible:-outline-offset-2"
    >
      {loading ? 'Loading…' : 'Load more'}
    </Button>
  );
}

function ListError(props: { error: Error; onRetry: () => void }) {
  return (
    <div role="alert" className="mx-1 mt-3 rounded-lg bg-danger-soft p-3 text-sm text-danger">
      <p className="break-words">{errorMessage(props.error)}</p>
      <Button
        size="sm"
        onClick={props.onRetry}
        className="mt-2 gap-1.5 border-danger-line bg-transparent hover:bg-danger-line/40"
      >
        <RotateCw aria-hidden className="size-3.5" />
        Retry
      </Button>
    </div>
  );
}

const SKELETON_WIDTHS = ['w-3/4', 'w-1/2', 'w-5/6', 'w-2/3', 'w-3/5', 'w-4/5', 'w-1/2', 'w-2/3'];

function ChatListSkeleton() {
  return (
    <div role="status" className="px-3 pt-4">
      <span className="sr-only">Loading chats…</span>
      <div aria-hidden className="mb-3 h-3 w-16 rounded bg-surface-strong motion-safe:animate-pulse" />
      {SKELETON_WIDTHS.map((width, index) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of placeholders that never reorders
          key={index}
          aria-hidden
          className={`my-4 h-4 rounded bg-surface-strong motion-safe:animate-pulse ${width}`}
        />
      ))}
    </div>
  );
}

function errorMessage(error: unknown): string {
  // ApiRequestError carries the server's own message.
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** The chat that takes the removed one's place in the list: the one after it, or else the one before. */
function neighbourOf(chats: readonly ChatSummary[], id: string): string | null {
  const index = chats.findIndex((chat) => chat.id === id);
  if (index < 0) return null;
  return chats[index + 1]?.id ?? chats[index - 1]?.id ?? null;
}
