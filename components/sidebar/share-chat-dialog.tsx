'use client';

import { Check, Copy, Link2 } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { closeDialogOf, Dialog } from '@/components/ui/dialog';
import type { ChatSummary } from '@/lib/client/chats-api';
import { copyText } from '@/lib/client/clipboard';
import { createShare, fetchShare, revokeShare, type ShareLink } from '@/lib/client/share-api';

type State =
  | { step: 'loading' }
  | { step: 'unshared' }
  | { step: 'shared'; link: ShareLink }
  | { step: 'confirm-revoke'; link: ShareLink };

/**
 * Shares a chat as a read-only link to a snapshot of its current branch: create it, copy it, update it to the chat
 * as it is now, or revoke it (after asking). Open while `chat` is set.
 */
export function ShareChatDialog({ chat, onClose }: { chat: ChatSummary | null; onClose: () => void }) {
  const [state, setState] = useState<State>({ step: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [shownTitle, setShownTitle] = useState('');
  if (chat && chat.title !== shownTitle) setShownTitle(chat.title);
  const titleId = useId();
  const linkId = useId();
  const cancelRevokeRef = useRef<HTMLButtonElement>(null);
  const chatId = chat?.id ?? null;

  useEffect(() => {
    if (!chatId) return;
    let current = true;
    setState({ step: 'loading' });
    setError(null);
    setCopied(false);
    fetchShare(chatId).then(
      (link) => current && setState(link ? { step: 'shared', link } : { step: 'unshared' }),
      (failure: unknown) => {
        if (!current) return;
        setState({ step: 'unshared' });
        setError(messageOf(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [chatId]);

  useEffect(() => {
    if (state.step === 'confirm-revoke') cancelRevokeRef.current?.focus();
  }, [state.step]);

  async function run(action: () => Promise<State>) {
    setBusy(true);
    setError(null);
    try {
      setState(await action());
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  const share = () => chatId && run(async () => ({ step: 'shared', link: await createShare(chatId) }));
  const revoke = () =>
    chatId &&
    run(async () => {
      await revokeShare(chatId);
      return { step: 'unshared' };
    });

  async function copy(url: string) {
    const ok = await copyText(url);
    setCopied(ok);
    if (!ok) setError('The link could not be copied; select it and copy it yourself.');
  }

  return (
    <Dialog open={chat !== null} onClose={onClose} aria-labelledby={titleId} width="md" data-testid="share-dialog">
      <div className="flex flex-col gap-4 p-5">
        <h2 id={titleId} className="flex items-center gap-2 text-base font-semibold break-words">
          <Link2 aria-hidden className="size-4 shrink-0 text-fg-muted" />
          Share “{chat?.title ?? shownTitle}”
        </h2>
        {state.step === 'loading' && <p className="text-sm text-fg-muted">Checking whether it is shared…</p>}
        {state.step === 'unshared' && (
          <p className="text-sm text-fg-muted">
            Anyone with the link will see this conversation as it is now (the versions shown, with their images),
            without signing in. Later messages are not shared until you update the link.
          </p>
        )}
        {(state.step === 'shared' || state.step === 'confirm-revoke') && (
          <div className="flex flex-col gap-2">
            <label htmlFor={linkId} className="text-sm font-medium">
              Share link
            </label>
            <div className="flex gap-2">
              <input
                id={linkId}
                readOnly
                value={state.link.url}
                onFocus={(event) => event.currentTarget.select()}
                className="h-9 min-w-0 flex-1 rounded-lg border border-line-strong bg-canvas px-3 text-sm text-fg"
              />
              <Button variant="primary" onClick={() => void copy(state.link.url)}>
                {copied ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
                {copied ? 'Copied' : 'Copy link'}
              </Button>
            </div>
            <p className="text-xs text-fg-muted">
              A snapshot from {new Date(state.link.createdAt).toLocaleString()}. Anyone with the link can read it.
            </p>
          </div>
        )}
        {state.step === 'confirm-revoke' && (
          <div role="alert" className="rounded-lg border border-danger-line bg-danger-soft p-3 text-sm text-danger-fg">
            <p>Revoke this link? Anyone who has it will no longer see the conversation. The chat itself stays.</p>
            <div className="mt-3 flex justify-end gap-2">
              <Button
                ref={cancelRevokeRef}
                size="sm"
                onClick={() => setState({ step: 'shared', link: state.link })}
                disabled={busy}
              >
                Keep the link
              </Button>
              <Button size="sm" variant="danger" onClick={() => void revoke()} disabled={busy}>
                Revoke link
              </Button>
            </div>
          </div>
        )}
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          {state.step === 'shared' && (
            <Button variant="ghost" onClick={() => setState({ step: 'confirm-revoke', link: state.link })}>
              Revoke…
            </Button>
          )}
          {state.step === 'shared' && (
            <Button onClick={() => void share()} disabled={busy}>
              Update link
            </Button>
          )}
          {state.step === 'unshared' && (
            <Button variant="primary" onClick={() => void share()} disabled={busy}>
              Create link
            </Button>
          )}
          <Button onClick={(event) => closeDialogOf(event.currentTarget)}>Close</Button>
        </div>
      </div>
    </Dialog>
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
