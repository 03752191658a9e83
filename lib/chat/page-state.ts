import { headers } from 'next/headers';
import { chatDefaultModel } from '@/lib/chat/default-model';
import { getConfig } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { readSession } from '@/lib/session';

/** What the chat pages need to know about this server before they render, read on every request. */
export interface ChatPageState {
  /** `required`: API_KEYS is set and this browser has no valid session. */
  signIn: 'open' | 'signed-in' | 'required';
  /** The operator must fix something before the chat can work at all. */
  blocked: 'production-without-api-keys' | null;
  notices: { offlineDemo: boolean; missingGeminiKey: boolean };
  limits: { maxImageEdge: number; maxImagesPerMessage: number; maxUploadBytes: number };
  defaultModel: string;
}

export async function loadChatPageState(): Promise<ChatPageState> {
  const config = getConfig();
  const requestHeaders = await headers();
  const open = config.auth.apiKeys.length === 0;
  let signIn: ChatPageState['signIn'] = 'open';
  if (!open) {
    // readSession wants a Request; only its cookie header is read.
    const request = new Request('http://iris.local/', { headers: { cookie: requestHeaders.get('cookie') ?? '' } });
    // Sessions live in the database: while it cannot be reached the sign-in screen shows, and signing in
    // says why it fails, rather than the page failing whole.
    const session = await readSession(request, config).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 503) return undefined;
      throw error;
    });
    signIn = session ? 'signed-in' : 'required';
  }
  return {
    signIn,
    blocked: open && config.nodeEnv === 'production' ? 'production-without-api-keys' : null,
    notices: {
      offlineDemo: config.offlineDemo,
      missingGeminiKey: !config.gemini.apiKey,
    },
    limits: {
      maxImageEdge: config.chatImages.maxEdge,
      maxImagesPerMessage: config.chatImages.maxPerMessage,
      maxUploadBytes: config.maxUploadBytes,
    },
    defaultModel: await chatDefaultModel(config),
  };
}
