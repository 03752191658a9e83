'use client';

import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, type FileUIPart } from 'ai';
import { Code2, Menu, SlidersHorizontal } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiCallDialog } from '@/components/api-call-dialog';
import { MessageList } from '@/components/chat/message-list';
import { textOfMessage } from '@/components/chat/message-parts';
import { ModelPicker } from '@/components/chat/model-picker';
import { SettingsDialog } from '@/components/chat/settings-dialog';
import { useLiveAnswer } from '@/components/chat/use-live-answer';
import { useVersions } from '@/components/chat/use-versions';
import { useChatConfig } from '@/components/chat-config';
import { Composer, type ComposerMessage } from '@/components/composer/composer';
import { IconButton } from '@/components/icon-button';
import { Lightbox } from '@/components/lightbox';
import { useShell } from '@/components/shell-context';
import { Button } from '@/components/ui/button';
import { chatTitle, IMAGE_CHAT_TITLE } from '@/lib/chat/title';
import { toSnippetMessages } from '@/lib/client/api-call-snippets';
import { ApiRequestError } from '@/lib/client/api-error';
import {
  type ChatSettings,
  type ChatWithMessages,
  createChat,
  type IrisUIMessage,
  updateChat,
} from '@/lib/client/chats-api';
import { NEW_CHAT_DRAFT } from '@/lib/client/drafts';
import { refreshChatList } from '@/lib/client/use-chat-list';

/**
 * One conversation: useChat over /api/chat, which keeps the history in the database, so only the new
 * message travels (plus the model picked for this turn).
 */
export function Conversation({ id, initial }: { id: string; initial: ChatWithMessages | null }) {
  const config = useChatConfig();
  const shell = useShell();
  const [model, setModel] = useState(initial?.model ?? config.defaultModel);
  const [settings, setSettings] = useState<ChatSettings>(initial?.settings ?? {});
  const [saved, setSaved] = useState(initial !== null);
  const [dialog, setDialog] = useState<'settings' | 'api' | null>(null);
  const [lightbox, setLightbox] = useState<{ images: FileUIPart[]; index: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  // Counts messages the server refused because storage was unreachable: each comes back into the composer.
  const [draftRestores, setDraftRestores] = useState(0);
  const sentNew = useRef(false);
  const modelForNextTurn = useRef(model);
  modelForNextTurn.current = model;
  const live = useLiveAnswer(id, initial);
  const liveFetch = live.fetch;

  const transport = useMemo(
    () =>
      new DefaultChatTransport<IrisUIMessage>({
        api: '/api/chat',
        fetch: liveFetch,
        prepareSendMessagesRequest: ({ id: chatId, messages, trigger, messageId, body }) => ({
          body: {
            id: chatId,
            trigger,
            messageId,
            // An edit says which message its new version follows (see use-versions.ts).
            parentId: body?.parentId,
            model: modelForNextTurn.current,
            ...(trigger === 'submit-message' ? { message: messages.at(-1) } : {}),
          },
        }),
      }),
    [liveFetch],
  );

  const markMessage = (messageId: string, change: { status: 'stopped' | 'error'; error?: string }) =>
    setMessagesRef.current((current) =>
      current.map((m) => (m.id === messageId ? { ...m, metadata: { ...m.metadata, ...change } } : m)),
    );
  const lastError = useRef<string | null>(null);
  const setMessagesRef = useRef<(update: (current: IrisUIMessage[]) => IrisUIMessage[]) => void>(() => {});

  const chat = useChat<IrisUIMessage>({
    id,
    messages: initial?.messages ?? [],
    transport,
    // A chat opened while its answer runs (a reload, a chat switch, a second tab) rejoins it.
    resume: live.resume,
    // Fewer renders while tokens pour in; the answer still appears to flow.
    throttle: 50,
    onFinish: (event) => {
      const { message, isAbort, isError } = event;
      refreshChatList();
      // A failed turn may not have reached storage at all (a new chat refused while storage is unreachable would be a
      // 404 here); its version counts catch up at the next turn or reload.
      if (!isError) void versionsRef.current.syncVersions();
      if (live.onFinish(event)) {
        setAnnouncement('Connection lost. The answer so far is kept.');
        return;
      }
      // The server saves a stopped answer as stopped; the page marks it the same way without a reload.
      if (isAbort) markMessage(message.id, { status: 'stopped' });
      if (isError) {
        // An answer that failed mid-way is saved as an error; the page shows it the same way without a reload.
        if (message.role === 'assistant')
          markMessage(message.id, { status: 'error', error: lastError.current ?? undefined });
        return;
      }
      // The chat's model was retired and the server moved the chat to its replacement; the picker follows.
      const served = message.metadata?.servedModel;
      if (served) setModel(served);
      setAnnouncement(isAbort ? 'Answer stopped.' : `Gemini answered: ${textOfMessage(message)}`);
    },
    onError: (failure) => {
      if (isStorageUnreachable(failure) && sentNew.current) {
        // Nothing was saved or sent to Gemini: the question leaves the conversation and goes back to the draft.
        sentNew.current = false;
        setMessagesRef.current((current) => (current.at(-1)?.role === 'user' ? current.slice(0, -1) : current));
        setDraftRestores((count) => count + 1);
        lastError.current = STORAGE_UNREACHABLE;
        setAnnouncement(STORAGE_UNREACHABLE);
        return;
      }
      if (live.onError(failure)) return;
      lastError.current = failure.message;
      setAnnouncement(`The answer failed: ${failure.message}`);
    },
  });
  const { messages, sendMessage, regenerate, status, error, clearError, setMessages } = chat;
  live.bind(chat);
  const stop = live.stop;

  setMessagesRef.current = setMessages;
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const versions = useVersions({ chatId: id, messages: messagesRef, setMessages, onError: setNotice });
  const versionsRef = useRef(versions);
  versionsRef.current = versions;
  const answering = status === 'submitted' || status === 'streaming';

  /** The first message creates the chat on the server; the address then names it, as a reload would. */
  const markSaved = useCallback(() => {
    if (saved) return;
    setSaved(true);
    window.history.replaceState(null, '', `/c/${encodeURIComponent(id)}`);
  }, [id, saved]);

  const send = useCallback(
    (message: ComposerMessage) => {
      clearError();
      sentNew.current = true;
      setAnnouncement('Sending. Gemini is looking…');
      void live
        .ready()
        .then(() =>
          message.text
            ? sendMessage({ text: message.text, files: message.files })
            : sendMessage({ files: message.files }),
        );
      markSaved();
    },
    [clearError, markSaved, sendMessage, live.ready],
  );

  const actions = useMemo(
    () => ({
      onEdit: (messageId: string, edit: { text: string; images: FileUIPart[] }) => {
        clearError();
        const parts = [...edit.images, ...(edit.text ? [{ type: 'text' as const, text: edit.text }] : [])];
        // A new version beside the old question, which keeps its answers; nothing is replaced.
        void live.ready().then(() => sendMessage({ parts }, { body: versionsRef.current.prepareEdit(messageId) }));
      },
      onSwitchVersion: (messageId: string) => void versionsRef.current.switchVersion(messageId),
      onRegenerate: (messageId: string) => {
        clearError();
        void live.ready().then(() => regenerate({ messageId }));
      },
      onContinue: () => {
        clearError();
        void live.ready().then(() => sendMessage({ text: 'Continue where you stopped.' }));
      },
      onRetryLost: (messageId: string) => void live.retryLost(messageId),
      onOpenImages: (images: FileUIPart[], index: number) => setLightbox({ images, index }),
    }),
    [clearError, regenerate, sendMessage, live.ready, live.retryLost],
  );

  useEffect(() => {
    // The server saves the question before it streams the answer: the chat now shows up (or moves up) in the list.
    if (status === 'streaming') {
      sentNew.current = false;
      refreshChatList();
    }
  }, [status]);

  const storageError = error && isStorageUnreachable(error);

  useEffect(() => {
    if (!answering) return;
    function onKeyDown(event: KeyboardEvent) {
      // Esc stops the answer, unless it is closing a dialog or cancelling an edit.
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      void stop();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [answering, stop]);

  async function changeModel(next: string) {
    const previous = model;
    setModel(next);
    if (!saved) return;
    try {
      await updateChat(id, { model: next });
    } catch (failure) {
      setModel(previous);
      setNotice(`The model could not be changed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  async function saveSettings(next: ChatSettings) {
    if (saved) await updateChat(id, { settings: next });
    else {
      await createChat({ id, model, settings: next });
      markSaved();
      refreshChatList();
    }
    setSettings(next);
  }

  const title = headerTitle(initial?.title, messages);
  useEffect(() => {
    const wanted = `${title} · Iris`;
    document.title = wanted;
    // On a full load Next applies the layout's metadata title after hydration, which would win a race with this;
    // the chat's own title stays while the chat is shown.
    const observer = new MutationObserver(() => {
      if (document.title !== wanted) document.title = wanted;
    });
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [title]);

  return (
    <main className="flex min-h-0 flex-1 flex-col" aria-label="Conversation">
      {/* On a phone the model picker takes a row of its own, so the title is not squeezed to a word. */}
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1.5 border-b border-line px-3 py-2">
        <IconButton label="Open the chat list" onClick={shell.openSidebar} className="md:hidden">
          <Menu aria-hidden className="size-5" />
        </IconButton>
        <h1 className="min-w-0 flex-1 truncate text-sm font-medium" title={title}>
          {title}
        </h1>
        <ModelPicker
          value={model}
          onChange={changeModel}
          disabled={answering}
          className="max-sm:order-last max-sm:basis-full"
        />
        <IconButton label="Chat settings" onClick={() => setDialog('settings')}>
          <SlidersHorizontal aria-hidden className="size-5" />
        </IconButton>
        <IconButton label="View as API call" onClick={() => setDialog('api')}>
          <Code2 aria-hidden className="size-5" />
        </IconButton>
      </header>

      {notice && (
        <p role="alert" className="border-b border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-fg">
          {notice}{' '}
          <Button variant="link" size="none" onClick={() => setNotice(null)} className="underline">
            Dismiss
          </Button>
        </p>
      )}

      <MessageList
        messages={messages}
        status={status}
        error={storageError ? new Error(STORAGE_UNREACHABLE) : error}
        actions={actions}
        // A message that was not sent is back in the composer: sending it again is the retry.
        onRetry={
          storageError && draftRestores > 0
            ? undefined
            : () => {
                clearError();
                void regenerate();
              }
        }
      />

      {live.note && answering && (
        <p role="status" data-testid="live-note" className="mx-auto w-full max-w-3xl px-4 pb-1 text-xs text-fg-muted">
          {live.note}
        </p>
      )}

      <Composer
        answering={answering}
        limits={{
          maxImages: config.limits.maxImagesPerMessage,
          maxImageEdge: config.limits.maxImageEdge,
          maxUploadBytes: config.limits.maxUploadBytes,
        }}
        onSend={send}
        onStop={() => void stop()}
        autoFocus={!initial}
        draftKey={saved ? id : NEW_CHAT_DRAFT}
        restoreDraft={draftRestores}
      />

      <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="announcer">
        {announcement}
      </div>

      <SettingsDialog
        open={dialog === 'settings'}
        settings={settings}
        onSave={saveSettings}
        onClose={() => setDialog(null)}
      />
      <ApiCallDialog
        open={dialog === 'api'}
        onClose={() => setDialog(null)}
        conversation={{
          baseUrl: typeof window === 'undefined' ? '/v1' : `${window.location.origin}/v1`,
          model,
          settings,
          messages: toSnippetMessages(messages),
        }}
      />
      <Lightbox
        images={(lightbox?.images ?? []).map((image, index) => ({
          url: image.url,
          alt: image.filename ?? `Image ${index + 1}`,
        }))}
        index={lightbox?.index ?? null}
        onIndexChange={(index) => setLightbox((current) => (current && index !== null ? { ...current, index } : null))}
      />
    </main>
  );
}

/**
 * The server's own rule (lib/chat/title.ts), so the header says what the sidebar will once the chat is saved; an
 * image-only chat takes its first answer's title as soon as that answer is complete.
 */
function headerTitle(saved: string | undefined, messages: IrisUIMessage[]): string {
  if (saved !== undefined && saved !== IMAGE_CHAT_TITLE) return saved;
  const [question, answer] = messages;
  if (!question) return saved ?? 'New chat';
  const answered = answer?.role === 'assistant' && answer.metadata?.status === 'complete';
  return chatTitle(textOfMessage(question), answered ? textOfMessage(answer) : undefined);
}

const STORAGE_UNREACHABLE =
  'Storage is unreachable; your message was not sent. It is back in the message box: send it again in a few seconds.';

function isStorageUnreachable(error: Error): boolean {
  return error instanceof ApiRequestError && error.code === 'database_unavailable';
}
