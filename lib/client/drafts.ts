import { z } from 'zod';

/**
 * What was written but not sent, per chat: its text and the images already uploaded (their references, never
 * their bytes). Kept in sessionStorage, so a draft survives switching chats and reloading the tab, and is gone with
 * the tab; sign-out clears every draft, so the next person at this browser finds none.
 */

const PREFIX = 'iris:draft:';

const DraftSchema = z.object({
  text: z.string(),
  images: z.array(
    z.object({
      name: z.string(),
      id: z.string(),
      url: z.string(),
      mediaType: z.string(),
      byteSize: z.number(),
      width: z.number(),
      height: z.number(),
    }),
  ),
});

export type Draft = z.infer<typeof DraftSchema>;
export type DraftImage = Draft['images'][number];

/** A chat not saved yet has no lasting id: every new chat shares one draft, as in ChatGPT. */
export const NEW_CHAT_DRAFT = 'new';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Storage can be switched off; drafts then last as long as the page.
    return null;
  }
}

export function loadDraft(key: string): Draft | null {
  const raw = storage()?.getItem(PREFIX + key);
  if (!raw) return null;
  try {
    const parsed = DraftSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: string, draft: Draft): void {
  const store = storage();
  if (!store) return;
  try {
    if (draft.text.trim() === '' && draft.images.length === 0) store.removeItem(PREFIX + key);
    else store.setItem(PREFIX + key, JSON.stringify(draft));
  } catch {
    // Full storage loses the draft, not the page.
  }
}

export function clearDraft(key: string): void {
  storage()?.removeItem(PREFIX + key);
}

export function clearAllDrafts(): void {
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) if (key.startsWith(PREFIX)) store.removeItem(key);
}
