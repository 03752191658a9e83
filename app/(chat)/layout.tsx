import type { ReactNode } from 'react';
import { ChatShell } from '@/components/chat-shell';
import { ServerBlockedScreen } from '@/components/server-blocked-screen';
import { SignInScreen } from '@/components/sign-in-screen';
import { loadChatPageState } from '@/lib/chat/page-state';

// Who is signed in and what the server is configured with are read per request.
export const dynamic = 'force-dynamic';

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const state = await loadChatPageState();
  if (state.blocked) return <ServerBlockedScreen />;
  if (state.signIn === 'required') return <SignInScreen />;
  return (
    <ChatShell
      config={{
        limits: state.limits,
        defaultModel: state.defaultModel,
        notices: state.notices,
        signIn: state.signIn,
      }}
    >
      {children}
    </ChatShell>
  );
}
