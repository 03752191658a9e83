'use client';

import dynamic from 'next/dynamic';

/**
 * The conversation's code (useChat and the AI SDK's message runtime, which brings zod along) is the largest
 * part of the page; it loads right after the shell instead of before it, so the page paints and the chat list
 * works sooner. The placeholder has the conversation's shape, so nothing jumps when it arrives.
 */
export const LazyConversation = dynamic(
  () => import('@/components/chat/conversation').then((module) => module.Conversation),
  { ssr: false, loading: ConversationPlaceholder },
);

function ConversationPlaceholder() {
  return (
    <main className="flex min-h-0 flex-1 flex-col" aria-busy="true">
      <div className="h-[53px] border-b border-line" />
      <div className="flex-1" />
      <div className="mx-auto w-full max-w-3xl px-3 pb-3 sm:px-4 sm:pb-4">
        <div className="h-[90px] rounded-2xl border border-line-strong" />
      </div>
      <p className="sr-only" role="status">
        Loading the chat…
      </p>
    </main>
  );
}
