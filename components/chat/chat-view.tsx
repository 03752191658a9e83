'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { LazyConversation as Conversation } from '@/components/chat/lazy-conversation';
import { Button } from '@/components/ui/button';
import { type ChatWithMessages, fetchChat } from '@/lib/client/chats-api';
import { newId } from '@/lib/client/new-id';

/** A saved chat (loaded first, because useChat takes its history only when it starts) or a new one. */
export function ChatView({ chatId }: { chatId: string | null }) {
  if (chatId === null) return <NewChat />;
  return <SavedChat chatId={chatId} />;
}

function NewChat() {
  const pathname = usePathname();
  const [id, setId] = useState(() => newId());
  const previousPath = useRef(pathname);
  useEffect(() => {
    // The first message moves the address to /c/<id> without a navigation, so this page stays mounted;
    // coming back to / (New chat, Ctrl+Shift+O) must then start another chat rather than continue that one.
    if (pathname === '/' && previousPath.current !== '/') setId(newId());
    previousPath.current = pathname;
  }, [pathname]);
  return <Conversation key={id} id={id} initial={null} />;
}

function SavedChat({ chatId }: { chatId: string }) {
  const [load, setLoad] = useState<ChatLoad>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Read afresh at every opening, never from a cache: useChat takes its history once, when it starts, and a
  // cached copy would miss the turns sent since.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the Try again button's way to reload
  useEffect(() => {
    let current = true;
    setLoad({ state: 'loading' });
    fetchChat(chatId).then(
      (chat) => current && setLoad({ state: 'done', chat }),
      (error: unknown) => current && setLoad({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [chatId, attempt]);

  if (load.state === 'loading') return <ChatSkeleton />;
  if (load.state === 'failed') {
    const { error } = load;
    return (
      <CenteredNote title="This chat could not be loaded">
        <p>{error instanceof Error ? error.message : String(error)}</p>
        <Button variant="primary" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </Button>
      </CenteredNote>
    );
  }
  if (!load.chat) {
    return (
      <CenteredNote title="No such chat">
        <p>It may have been deleted, or it belongs to another access key.</p>
        <Link href="/" className="font-medium text-accent-fg underline underline-offset-4">
          Start a new chat
        </Link>
      </CenteredNote>
    );
  }
  return <Conversation id={chatId} initial={load.chat} />;
}

type ChatLoad =
  | { state: 'loading' }
  | { state: 'done'; chat: ChatWithMessages | null }
  | { state: 'failed'; error: unknown };

function ChatSkeleton() {
  return (
    <div aria-busy="true" className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-6 p-6">
      <p className="sr-only" role="status">
        Loading the chat…
      </p>
      <div className="ml-auto h-10 w-1/2 animate-pulse rounded-2xl bg-surface-muted" />
      <div className="h-24 w-5/6 animate-pulse rounded-2xl bg-surface-muted" />
      <div className="ml-auto h-10 w-1/3 animate-pulse rounded-2xl bg-surface-muted" />
    </div>
  );
}

function CenteredNote({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="grid flex-1 place-items-center p-6">
      <div className="flex max-w-md flex-col items-center gap-3 text-center text-fg-muted">
        <h1 className="text-xl font-semibold text-fg">{title}</h1>
        {children}
      </div>
    </main>
  );
}
