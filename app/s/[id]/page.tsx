import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { SharedConversation } from '@/components/share/shared-conversation';
import { getDb } from '@/lib/db/client';
import { getShare } from '@/lib/storage/shares';

// Read per request, so a revoked link is gone at once; Next then answers with Cache-Control: private, no-store.
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

// One read per request: the metadata and the page ask for the same share.
const loadShare = cache(async (id: string) => getShare(await getDb(), id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const share = await loadShare((await params).id);
  return {
    title: share ? `${share.snapshot.title} · shared from Iris` : 'Not found · Iris',
    robots: { index: false, follow: false },
    referrer: 'no-referrer',
  };
}

/** /s/<id>: a read-only snapshot of a chat, for anyone with the link, without signing in. */
export default async function SharedChatPage({ params }: Props) {
  const { id } = await params;
  const share = await loadShare(id);
  if (!share) notFound();
  return (
    <main className="flex min-h-dvh flex-col" aria-label="Shared conversation">
      <header className="border-b border-line px-4 py-3">
        <div className="mx-auto flex max-w-3xl flex-col gap-0.5">
          <h1 className="truncate text-base font-semibold" title={share.snapshot.title}>
            {share.snapshot.title}
          </h1>
          <p className="text-xs text-fg-muted">
            A read-only copy shared from Iris on{' '}
            <time dateTime={share.createdAt.toISOString()}>{share.createdAt.toISOString().slice(0, 10)}</time>.
          </p>
        </div>
      </header>
      <SharedConversation shareId={id} snapshot={share.snapshot} />
    </main>
  );
}
