'use client';

// First, before any module that validates with zod runs.
import '@/lib/client/zod-without-eval';
import { BookOpen, Keyboard, LogOut } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useDropzone } from 'react-dropzone';
import { type ChatConfig, ChatConfigProvider } from '@/components/chat-config';
import { DropOverlay } from '@/components/drop-overlay';
import { IconButton } from '@/components/icon-button';
import { type FilesHandler, type Shell, ShellContext } from '@/components/shell-context';
import { ShortcutsDialog } from '@/components/shortcuts-dialog';
import { Sidebar } from '@/components/sidebar/sidebar';
import { ThemeToggle } from '@/components/theme-toggle';
import { Button } from '@/components/ui/button';
import { requestJson } from '@/lib/client/api-error';
import { clearAllDrafts } from '@/lib/client/drafts';
import { isNewChatShortcut, isSearchShortcut, isShortcutSheetKey } from '@/lib/client/shortcuts';

/** The chat's frame: the chat list (a drawer on phones), notices, and the window-wide drop target for images. */
export function ChatShell({ config, children }: { config: ChatConfig; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const activeChatId = pathname.startsWith('/c/') ? decodeURIComponent(pathname.slice(3)) : null;
  // Narrow screens only: the chat list slides over the conversation.
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawer = useRef<HTMLElement>(null);
  const drawerOpener = useRef<HTMLElement | null>(null);
  const filesHandler = useRef<FilesHandler | null>(null);
  const [dropCancelled, setDropCancelled] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);

  const { getRootProps, getInputProps, isDragActive, open } = useDropzone({
    noClick: true,
    noKeyboard: true,
    // Paste is handled window-wide below; the dropzone's own only works while it has focus.
    noPaste: true,
    multiple: true,
    // Every file reaches the composer, which says per file what is wrong with it (type, size).
    onDrop: (accepted, rejected) => {
      setDropCancelled(false);
      const files = [...accepted, ...rejected.map((r) => r.file)];
      if (files.length > 0) filesHandler.current?.(files);
    },
    onDragEnter: () => setDropCancelled(false),
  });

  useEffect(() => {
    function onPaste(event: ClipboardEvent) {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0 || !filesHandler.current) return;
      // A pasted image goes to the message; pasted text (no files) keeps its default behaviour.
      event.preventDefault();
      filesHandler.current(files);
    }
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' && isDragActive) setDropCancelled(true);
      // Ctrl/⌘+Shift+O, as in ChatGPT: a new chat from anywhere.
      if (isNewChatShortcut(event)) {
        event.preventDefault();
        router.push('/');
      } else if (isSearchShortcut(event)) {
        event.preventDefault();
        // On a phone the search box is in the drawer, which opens first.
        if (!window.matchMedia('(min-width: 48rem)').matches) setDrawerOpen(true);
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="chat-search"]')?.focus());
      } else if (isShortcutSheetKey(event) && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        setShortcutsOpen(true);
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [isDragActive, router]);

  useEffect(() => {
    if (!drawerOpen) {
      // Focus goes back to the button that opened the drawer, as a dialog would do.
      drawerOpener.current?.focus();
      drawerOpener.current = null;
      return;
    }
    drawer.current?.querySelector<HTMLElement>('a[href], button, input')?.focus();
    const wide = window.matchMedia('(min-width: 48rem)');
    const closeWhenWide = () => wide.matches && setDrawerOpen(false);
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setDrawerOpen(false);
    wide.addEventListener('change', closeWhenWide);
    window.addEventListener('keydown', closeOnEscape);
    return () => {
      wide.removeEventListener('change', closeWhenWide);
      window.removeEventListener('keydown', closeOnEscape);
    };
  }, [drawerOpen]);

  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  const shell = useMemo<Shell>(
    () => ({
      openSidebar: () => {
        drawerOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setDrawerOpen(true);
      },
      onFiles: (handler) => {
        filesHandler.current = handler;
      },
      openFilePicker: open,
    }),
    [open],
  );

  const footer = (
    <div className="flex flex-wrap items-center gap-1">
      <ThemeToggle />
      <IconButton label="Keyboard shortcuts" aria-keyshortcuts="?" onClick={() => setShortcutsOpen(true)}>
        <Keyboard aria-hidden className="size-5" />
      </IconButton>
      <Link
        href="/connect"
        onClick={closeDrawer}
        className="inline-flex h-9 items-center gap-2 rounded-lg px-2 text-sm text-fg-muted hover:bg-surface-strong focus-visible:outline-2 focus-visible:outline-iris-500"
      >
        <BookOpen aria-hidden className="size-4" />
        Use the API
      </Link>
      {config.signIn === 'signed-in' && (
        <Button
          variant="ghost"
          className="px-2 font-normal hover:bg-surface-strong"
          onClick={async () => {
            await requestJson('/api/auth/sign-out', { method: 'POST' }).catch(() => undefined);
            clearAllDrafts();
            // A full load, not a refresh: nothing of this owner's chats may stay in the page's caches.
            window.location.assign('/');
          }}
        >
          <LogOut aria-hidden className="size-4" />
          Sign out
        </Button>
      )}
    </div>
  );
  return (
    <ChatConfigProvider value={config}>
      <ShellContext value={shell}>
        <div {...getRootProps({ className: 'flex h-dvh overflow-hidden' })}>
          <input {...getInputProps({ accept: 'image/*,.heic,.heif' })} data-testid="file-input" />
          {/* The first Tab stop: the chat list, with two stops per chat, would otherwise stand before the composer. */}
          <Button
            variant="bare"
            size="none"
            onClick={() => document.getElementById('composer-input')?.focus()}
            className="sr-only bg-surface px-3 py-2 text-accent-fg shadow ring-2 ring-iris-500 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
          >
            Skip to the message box
          </Button>
          <aside
            ref={drawer}
            aria-label="Chat list"
            data-open={drawerOpen}
            className={`fixed inset-y-0 left-0 z-40 flex w-[min(20rem,85vw)] flex-col border-r border-line bg-surface-sunken transition-transform md:static md:z-auto md:w-72 md:shrink-0 md:translate-x-0 ${
              drawerOpen ? 'translate-x-0 shadow-xl' : 'max-md:invisible -translate-x-full'
            }`}
          >
            <Sidebar
              activeChatId={activeChatId}
              onNavigate={closeDrawer}
              onChatDeleted={(id) => {
                if (id === activeChatId) router.push('/');
              }}
              footer={footer}
            />
          </aside>
          {drawerOpen && (
            <Button
              variant="bare"
              size="none"
              aria-label="Close the chat list"
              onClick={closeDrawer}
              className="fixed inset-0 z-30 rounded-none bg-black/40 md:hidden"
            />
          )}
          <div className="flex min-w-0 flex-1 flex-col" inert={drawerOpen}>
            <Notices notices={config.notices} />
            {children}
          </div>
          {isDragActive && !dropCancelled && <DropOverlay />}
          <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
        </div>
      </ShellContext>
    </ChatConfigProvider>
  );
}

function Notices({ notices }: { notices: ChatConfig['notices'] }) {
  return (
    <>
      {notices.missingGeminiKey && (
        <p role="alert" className="border-b border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-fg">
          <strong>No Gemini API key.</strong> This server cannot answer until its operator sets{' '}
          <code>GOOGLE_GENERATIVE_AI_API_KEY</code> and restarts it.
        </p>
      )}
      {notices.offlineDemo && (
        <p role="status" className="border-b border-warning-line bg-warning-soft px-4 py-2 text-sm text-warning-fg">
          <strong>Offline demo.</strong> Answers come from a fake Gemini on this machine, not from Google.
        </p>
      )}
    </>
  );
}
