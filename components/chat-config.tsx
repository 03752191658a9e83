'use client';

import { createContext, type ReactNode, useContext } from 'react';
import type { ChatPageState } from '@/lib/chat/page-state';

export type ChatConfig = Pick<ChatPageState, 'limits' | 'defaultModel' | 'notices' | 'signIn'>;

const ChatConfigContext = createContext<ChatConfig | null>(null);

/** The server's limits and notices, read once per page load by the chat layout. */
export function ChatConfigProvider({ value, children }: { value: ChatConfig; children: ReactNode }) {
  return <ChatConfigContext value={value}>{children}</ChatConfigContext>;
}

export function useChatConfig(): ChatConfig {
  const config = useContext(ChatConfigContext);
  if (!config) throw new Error('useChatConfig must be used inside the chat layout');
  return config;
}
