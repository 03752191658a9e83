'use client';

import { Download, X } from 'lucide-react';
import Link from 'next/link';
import { type KeyboardEvent, useId, useRef, useState, useSyncExternalStore } from 'react';
import { CopyButton } from '@/components/copy-button';
import { IconButton } from '@/components/icon-button';
import { Button } from '@/components/ui/button';
import { closeDialogOf, Dialog } from '@/components/ui/dialog';
import {
  type ApiCallSnippets,
  buildApiCallSnippets,
  type ConversationForSnippet,
} from '@/lib/client/api-call-snippets';
import { cn } from '@/lib/cn';

export interface ApiCallDialogProps {
  open: boolean;
  onClose: () => void;
  /** A relative `baseUrl` ("/v1") is resolved against this page's origin. */
  conversation: ConversationForSnippet;
}

type Language = keyof Pick<ApiCallSnippets, 'curl' | 'javascript' | 'python'>;

const LANGUAGES: ReadonlyArray<{ id: Language; label: string; copyLabel: string; runsIn: string }> = [
  {
    id: 'curl',
    label: 'curl',
    copyLabel: 'Copy the curl command',
    runsIn: 'bash or sh: Linux, macOS, WSL or Git Bash',
  },
  {
    id: 'javascript',
    label: 'JavaScript',
    copyLabel: 'Copy the JavaScript code',
    runsIn: 'Node.js with the openai package',
  },
  { id: 'python', label: 'Python', copyLabel: 'Copy the Python code', runsIn: 'Python 3 with the openai package' },
];

const subscribeToNothing = () => () => {};
const browserOrigin = () => window.location.origin;
const noOriginOnServer = () => null;

/**
 * "View as API call": the request behind the chat's last answer as curl, openai JS and openai Python code for
 * Iris's OpenAI-compatible endpoint, each with a copy button, and the image files the code expects.
 */
export function ApiCallDialog({ open, onClose, conversation }: ApiCallDialogProps) {
  const tabs = useRef(new Map<Language, HTMLButtonElement>());
  const [language, setLanguage] = useState<Language>('curl');
  const [stream, setStream] = useState(false);
  const origin = useSyncExternalStore(subscribeToNothing, browserOrigin, noOriginOnServer);
  const id = useId();

  function selectTab(next: Language) {
    setLanguage(next);
    tabs.current.get(next)?.focus();
  }

  // Arrow keys move between tabs and select them (automatic activation); Home and End jump to the ends.
  function onTabKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    const at = LANGUAGES.findIndex((l) => l.id === language);
    const last = LANGUAGES.length - 1;
    const target =
      event.key === 'ArrowRight'
        ? at === last
          ? 0
          : at + 1
        : event.key === 'ArrowLeft'
          ? at === 0
            ? last
            : at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    selectTab(LANGUAGES[target]?.id ?? 'curl');
  }

  const snippets =
    open && origin
      ? buildApiCallSnippets({ ...conversation, baseUrl: new URL(conversation.baseUrl, origin).href }, { stream })
      : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      width="lg"
      dismissOnBackdrop={false}
    >
      {snippets && (
        <div className="flex max-h-[calc(100dvh-1rem)] flex-col">
          <header className="flex items-start gap-3 border-b border-line px-4 py-3 sm:px-5">
            <div className="flex min-w-0 flex-1 flex-col gap-1">
              <h2 id={`${id}-title`} className="text-lg font-semibold">
                View as API call
              </h2>
              <p id={`${id}-description`} className="text-sm text-fg-muted">
                The request behind this chat&rsquo;s last answer, for Iris&rsquo;s OpenAI-compatible API: same model,
                settings and history.
              </p>
            </div>
            <IconButton label="Close" onClick={(event) => closeDialogOf(event.currentTarget)}>
              <X aria-hidden className="size-5" />
            </IconButton>
          </header>

          <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto px-4 py-4 sm:px-5">
            <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
              <div role="tablist" aria-label="Language" className="flex gap-1 rounded-lg bg-surface-muted p-1">
                {LANGUAGES.map((l) => {
                  const selected = l.id === language;
                  return (
                    <Button
                      key={l.id}
                      variant="bare"
                      size="sm"
                      ref={(element) => {
                        if (element) tabs.current.set(l.id, element);
                        else tabs.current.delete(l.id);
                      }}
                      role="tab"
                      id={`${id}-tab-${l.id}`}
                      aria-selected={selected}
                      aria-controls={`${id}-panel-${l.id}`}
                      tabIndex={selected ? 0 : -1}
                      onClick={() => setLanguage(l.id)}
                      onKeyDown={onTabKeyDown}
                      className={cn(
                        'rounded-md',
                        selected ? 'bg-canvas text-accent-fg shadow-sm' : 'text-fg-muted hover:text-fg',
                      )}
                    >
                      {l.label}
                    </Button>
                  );
                })}
              </div>
              <label className="flex cursor-pointer items-center gap-2 text-sm font-medium">
                <input
                  type="checkbox"
                  role="switch"
                  checked={stream}
                  aria-checked={stream}
                  onChange={(event) => setStream(event.target.checked)}
                  className="size-4 accent-iris-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500"
                />
                Stream the answer
              </label>
            </div>

            {LANGUAGES.map((l) => (
              <div
                key={l.id}
                role="tabpanel"
                id={`${id}-panel-${l.id}`}
                aria-labelledby={`${id}-tab-${l.id}`}
                hidden={l.id !== language}
                className="flex flex-col gap-2"
              >
                <div className="flex items-center justify-between gap-2">
                  <p className="text-xs text-fg-muted">Runs in {l.runsIn}.</p>
                  <CopyButton text={snippets[l.id]} label={l.copyLabel} />
                </div>
                <section
                  aria-label={`${l.label} code`}
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll long lines sideways (WCAG 2.1.1)
                  tabIndex={0}
                  className="max-h-[50dvh] overflow-auto rounded-lg bg-zinc-950 text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500 border border-line"
                >
                  <pre className="w-max min-w-full p-4 text-[13px] leading-relaxed">
                    <code>{snippets[l.id]}</code>
                  </pre>
                </section>
              </div>
            ))}

            {snippets.placeholderQuestion && (
              <p className="text-sm text-fg-muted">
                This chat has no question yet, so the code asks a placeholder one. Replace it with yours.
              </p>
            )}

            {snippets.images.length > 0 && (
              <section aria-labelledby={`${id}-images`} className="flex flex-col gap-2">
                <h3 id={`${id}-images`} className="text-sm font-semibold">
                  Image files
                </h3>
                <p className="text-sm text-fg-muted">
                  The chat&rsquo;s images are only visible to this browser, so the code reads them from files and sends
                  them inline. Download them into the folder you run it in:
                </p>
                <ul className="flex flex-wrap gap-2">
                  {snippets.images.map((image) => (
                    <li key={image.fileName}>
                      <a
                        href={image.url}
                        download={image.fileName}
                        className="inline-flex h-9 items-center gap-2 rounded-lg border border-line-strong px-3 font-mono text-sm hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-iris-500"
                      >
                        <Download aria-hidden className="size-4" />
                        {image.fileName}
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            )}

            <section aria-labelledby={`${id}-key`} className="flex flex-col gap-2">
              <h3 id={`${id}-key`} className="text-sm font-semibold">
                API key
              </h3>
              <p className="text-sm text-fg-muted">
                The code reads your Iris API key from the <code className="font-mono">IRIS_API_KEY</code> environment
                variable and never contains it. Set it first, e.g.{' '}
                <code className="font-mono break-all">export IRIS_API_KEY=your-key</code>.{' '}
                <Link
                  href="/connect"
                  className="font-medium text-accent-fg underline underline-offset-4 focus-visible:outline-2 focus-visible:outline-iris-500"
                >
                  Where to get a key, and the base URL
                </Link>
              </p>
            </section>
          </div>
        </div>
      )}
    </Dialog>
  );
}
