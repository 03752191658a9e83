'use client';

import type { UseChatHelpers } from '@ai-sdk/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { ApiRequestError, chatStreamFetch } from '@/lib/client/api-error';
import { type ChatWithMessages, fetchChat, type IrisUIMessage } from '@/lib/client/chats-api';
import {
  askedHere,
  CONNECTION_LOST,
  endedProperly,
  isConnectionLost,
  isRunning,
  rememberAskedHere,
  stopAnswerOnServer,
} from '@/lib/client/live-answers';

type ChatHelpers = Pick<
  UseChatHelpers<IrisUIMessage>,
  'setMessages' | 'resumeStream' | 'regenerate' | 'stop' | 'clearError'
>;

interface FinishEvent {
  message: IrisUIMessage;
  isAbort: boolean;
  isDisconnect: boolean;
  isError: boolean;
}

/**
 * Answers that outlive the page: a chat opened while its answer is running rejoins it (useChat's `resume`), a
 * second tab follows instead of failing, Stop tells the server (leaving the page never does), and a stream cut
 * on the way keeps its text, marked "Connection lost" with a Retry.
 */
export function useLiveAnswer(chatId: string, initial: ChatWithMessages | null) {
  const chat = useRef<ChatHelpers | null>(null);
  const pendingStop = useRef<Promise<void>>(Promise.resolve());
  const [resume] = useState(() => initial?.messages.some(isRunning) ?? false);
  const [following, setFollowing] = useState<'another-tab' | 'refused' | null>(() =>
    resume && !askedHere(chatId) ? 'another-tab' : null,
  );

  /** The chat as stored; undefined when the server cannot be reached. */
  const reload = useCallback(async (): Promise<ChatWithMessages | null | undefined> => {
    const fresh = await fetchChat(chatId).catch(() => undefined);
    if (fresh) chat.current?.setMessages(fresh.messages);
    return fresh;
  }, [chatId]);

  const fetch = useCallback<typeof globalThis.fetch>(
    async (input, init) => {
      const response = await chatStreamFetch(input, init);
      // `resume` found nothing running: the answer ended meanwhile, and the stored chat holds it as it ended.
      if ((init?.method ?? 'GET') === 'GET' && response.status === 204) {
        setFollowing(null);
        void reload();
      }
      return response;
    },
    [reload],
  );

  const api = useMemo(() => {
    const markLost = (messageId: string) =>
      chat.current?.setMessages((current) =>
        current.map((m) => (m.id === messageId ? { ...m, metadata: { ...m.metadata, ...CONNECTION_LOST } } : m)),
      );
    return {
      bind(helpers: ChatHelpers) {
        chat.current = helpers;
      },
      /** Before a send, regenerate or edit: a Stop just pressed has been saved, so the chat is not busy. */
      async ready(): Promise<void> {
        await pendingStop.current;
        rememberAskedHere(chatId, true);
        setFollowing(null);
      },
      stop() {
        pendingStop.current = stopAnswerOnServer(chatId);
        setFollowing(null);
        void chat.current?.stop();
      },
      /** True when the event was this hook's to handle. */
      onFinish({ message, isAbort, isDisconnect, isError }: FinishEvent): boolean {
        if (message.role !== 'assistant' || isAbort || (isError && !isDisconnect)) return false;
        rememberAskedHere(chatId, false);
        setFollowing(null);
        if (isDisconnect || !endedProperly(message)) {
          markLost(message.id);
          return true;
        }
        return false;
      },
      /** True when the failure was this hook's to handle (the chat is busy: follow its answer instead). */
      onError(failure: Error): boolean {
        if (!(failure instanceof ApiRequestError && failure.code === 'chat_busy')) return false;
        setFollowing('refused');
        void (async () => {
          const fresh = await reload();
          chat.current?.clearError();
          if (fresh?.messages.some(isRunning)) void chat.current?.resumeStream();
          else setFollowing(null);
        })();
        return true;
      },
      /** Retry on "Connection lost": rejoin the answer if it still runs, show it if it finished, else ask again. */
      async retryLost(messageId: string): Promise<void> {
        const fresh = await reload();
        if (fresh === undefined) return;
        chat.current?.clearError();
        const stored = fresh?.messages.find((m) => m.id === messageId);
        if (isRunning(stored)) {
          void chat.current?.resumeStream();
          return;
        }
        if (stored && endedProperly(stored) && !isConnectionLost(stored)) return;
        await pendingStop.current;
        rememberAskedHere(chatId, true);
        void chat.current?.regenerate(stored ? { messageId } : {});
      },
    };
  }, [chatId, reload]);

  return {
    ...api,
    resume,
    fetch,
    /** Shown while this tab follows an answer asked for elsewhere. */
    note:
      following === 'refused'
        ? 'This chat is answering in another tab. Your message was not sent: send it again once this answer is done.'
        : following === 'another-tab'
          ? 'This chat is answering in another tab.'
          : null,
  };
}
