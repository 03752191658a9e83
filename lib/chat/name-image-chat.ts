import { IMAGE_CHAT_TITLE, titleFromAnswer } from '@/lib/chat/title';
import { textOf } from '@/lib/chat/ui-messages';
import type { Db } from '@/lib/db/client';
import { retitleChatIfStill } from '@/lib/storage/chats';
import type { StoredMessage, StoredPart } from '@/lib/storage/types';

/**
 * A chat that began with images only is named after Gemini's first answer about them, once that answer is complete.
 * Later answers, and chats the user renamed, keep their title.
 */
export async function nameImageOnlyChat(
  db: Db,
  ownerId: string,
  chat: { id: string; title: string; messages: readonly StoredMessage[] },
  answer: readonly StoredPart[],
): Promise<void> {
  if (chat.title !== IMAGE_CHAT_TITLE) return;
  const answers = chat.messages.filter((m) => m.role === 'assistant');
  if (answers.length !== 1) return;
  const title = titleFromAnswer(textOf(answer));
  if (title === IMAGE_CHAT_TITLE) return;
  await retitleChatIfStill(db, ownerId, chat.id, { from: IMAGE_CHAT_TITLE, to: title });
}
