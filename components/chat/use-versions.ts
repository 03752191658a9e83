'use client';

import { type RefObject, useCallback } from 'react';
import { fetchChat, type IrisUIMessage } from '@/lib/client/chats-api';
import { chooseVersion, mergeVersions, parentInBranch } from '@/lib/client/versions-api';

type SetMessages = (update: IrisUIMessage[] | ((current: IrisUIMessage[]) => IrisUIMessage[])) => void;

/**
 * The conversation's side of versions: an edit goes after the message before it (the old question and its
 * answers stay as the other version), the switch shows another version's branch, and after each turn the
 * "‹ 2/3 ›" counts are read back from the server, which alone knows every version.
 */
export function useVersions(options: {
  chatId: string;
  messages: RefObject<IrisUIMessage[]>;
  setMessages: SetMessages;
  onError: (message: string) => void;
}) {
  const { chatId, messages, setMessages, onError } = options;

  const syncVersions = useCallback(async () => {
    try {
      const chat = await fetchChat(chatId);
      if (chat) setMessages((current) => mergeVersions(current, chat.messages));
    } catch {
      // The counts catch up at the next turn or reload; the conversation itself is fine.
    }
  }, [chatId, setMessages]);

  /** Cuts the shown branch before the edited message and says what the new version follows. */
  const prepareEdit = useCallback(
    (messageId: string): { parentId: string | null } => {
      const shown = messages.current;
      const parentId = parentInBranch(shown, messageId);
      const index = shown.findIndex((m) => m.id === messageId);
      if (index >= 0) setMessages(shown.slice(0, index));
      return { parentId };
    },
    [messages, setMessages],
  );

  const switchVersion = useCallback(
    async (messageId: string) => {
      try {
        const chat = await chooseVersion(chatId, messageId);
        setMessages(chat.messages);
      } catch (failure) {
        onError(`That version could not be shown: ${failure instanceof Error ? failure.message : String(failure)}`);
      }
    },
    [chatId, setMessages, onError],
  );

  return { syncVersions, prepareEdit, switchVersion };
}
