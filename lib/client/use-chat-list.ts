'use client';

import { useCallback, useEffect, useMemo } from 'react';
import { mutate as mutateGlobally } from 'swr';
import useSWRInfinite, { type SWRInfiniteKeyedMutator } from 'swr/infinite';
import type { ApiRequestError } from '@/lib/client/api-error';
import { type ChatPage, type ChatSummary, deleteChat, listChats, updateChat } from '@/lib/client/chats-api';
import { type DateGroup, groupChatsByDate } from '@/lib/client/date-groups';

const PAGE_SIZE = 30;
const KEY_TAG = 'iris:chat-list';

type PageKey = readonly [typeof KEY_TAG, query: string, cursor: string | null];

/** A page remembers the search it answers, so the UI can tell fresh results from the previous search's kept ones. */
export interface ChatListPage extends ChatPage {
  query: string;
}

export interface ChatList {
  chats: ChatSummary[];
  groups: DateGroup<ChatSummary>[];
  /** Nothing to show yet: the first page of the first search is on its way. */
  isLoading: boolean;
  /** The chats shown belong to an earlier search while the current one loads. */
  isStale: boolean;
  /** The search the chats shown answer: `query` once its results are in, the earlier one while it loads. */
  shownQuery: string;
  isLoadingMore: boolean;
  error: ApiRequestError | undefined;
  hasMore: boolean;
  loadMore: () => void;
  /** Refetches every loaded page (Retry). */
  retry: () => void;
  /** Renames at once; puts the old title back and rethrows when the server refuses. */
  renameChat: (id: string, title: string) => Promise<void>;
  /** Removes at once; puts the chat back and rethrows when the server refuses. */
  removeChat: (id: string) => Promise<void>;
  mutate: SWRInfiniteKeyedMutator<ChatListPage[]>;
}

/** Revalidators of the chat lists on screen: a useSWRInfinite list only refetches all its pages through its own mutate. */
const mountedLists = new Set<() => Promise<unknown>>();

/**
 * Brings every chat list up to date after a change made elsewhere (a message sent, a chat created, renamed or deleted).
 * Lists on screen refetch all their loaded pages; cached lists that are not on screen (an earlier search) lose their
 * pages, so they load afresh when shown again.
 */
export async function refreshChatList(): Promise<void> {
  await mutateGlobally(isChatListKey, undefined, { revalidate: false });
  await Promise.all([...mountedLists].map((revalidate) => revalidate()));
}

function isChatListKey(key: unknown): boolean {
  return Array.isArray(key) && key[0] === KEY_TAG;
}

/** The owner's chats matching `query` (all when empty), newest activity first, a page at a time. */
export function useChatList(query: string): ChatList {
  const getKey = useCallback(
    (index: number, previous: ChatListPage | null): PageKey | null => {
      if (index > 0 && !previous?.nextCursor) return null;
      return [KEY_TAG, query, previous?.nextCursor ?? null];
    },
    [query],
  );
  const { data, error, size, setSize, mutate } = useSWRInfinite<ChatListPage, ApiRequestError>(
    getKey,
    async ([, pageQuery, cursor]: PageKey) => ({
      ...(await listChats({ query: pageQuery, cursor, limit: PAGE_SIZE })),
      query: pageQuery,
    }),
    { keepPreviousData: true, revalidateFirstPage: true },
  );

  useEffect(() => {
    const revalidate = () => mutate();
    mountedLists.add(revalidate);
    return () => {
      mountedLists.delete(revalidate);
    };
  }, [mutate]);

  const chats = useMemo(() => uniqueChats(data ?? []), [data]);
  // Not memoised on purpose: regrouping is cheap and "Today" must roll over when the list re-renders after midnight.
  const groups = groupChatsByDate(chats, new Date());
  const hasMore = Boolean(data?.at(-1)?.nextCursor);
  // The pages asked for outnumber the pages loaded only while the next one is on its way.
  const isLoadingMore = data !== undefined && hasMore && size > data.length && !error;

  const loadMore = useCallback(() => {
    if (!isLoadingMore && hasMore) void setSize((current) => current + 1);
  }, [hasMore, isLoadingMore, setSize]);

  const retry = useCallback(() => void mutate(), [mutate]);

  const renameChat = useCallback(
    async (id: string, title: string) => {
      await mutate(
        async (pages) => {
          const renamed = await updateChat(id, { title });
          return mapChats(pages, (chat) => (chat.id === id ? renamed : chat));
        },
        {
          optimisticData: (pages) => mapChats(pages, (chat) => (chat.id === id ? { ...chat, title } : chat)),
          rollbackOnError: true,
          revalidate: false,
        },
      );
    },
    [mutate],
  );

  const removeChat = useCallback(
    async (id: string) => {
      await mutate(
        async (pages) => {
          await deleteChat(id);
          return withoutChat(pages, id);
        },
        { optimisticData: (pages) => withoutChat(pages, id), rollbackOnError: true, revalidate: false },
      );
    },
    [mutate],
  );

  return {
    chats,
    groups,
    // Data is undefined on the server too, where SWR does not fetch: that is a loading state, not "no chats".
    isLoading: data === undefined && !error,
    isStale: data !== undefined && data[0]?.query !== query,
    shownQuery: data?.[0]?.query ?? query,
    isLoadingMore,
    error,
    hasMore,
    loadMore,
    retry,
    renameChat,
    removeChat,
    mutate,
  };
}

/** A chat that moved between two page loads could come twice: the first (newest) copy wins. */
function uniqueChats(pages: readonly ChatListPage[]): ChatSummary[] {
  const seen = new Set<string>();
  const chats: ChatSummary[] = [];
  for (const page of pages) {
    for (const chat of page?.chats ?? []) {
      if (seen.has(chat.id)) continue;
      seen.add(chat.id);
      chats.push(chat);
    }
  }
  return chats;
}

function mapChats(pages: ChatListPage[] | undefined, change: (chat: ChatSummary) => ChatSummary): ChatListPage[] {
  return (pages ?? []).map((page) => ({ ...page, chats: page.chats.map(change) }));
}

function withoutChat(pages: ChatListPage[] | undefined, id: string): ChatListPage[] {
  return (pages ?? []).map((page) => ({ ...page, chats: page.chats.filter((chat) => chat.id !== id) }));
}
