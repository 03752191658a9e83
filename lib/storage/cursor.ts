import { ApiError } from '@/lib/errors';
import { isId } from '@/lib/storage/validate';

/**
 * A chat-list cursor: the (updatedAt, id) of the last chat of a page, as base64url JSON. Opaque to callers;
 * the id breaks ties between chats updated in the same millisecond, so pages neither repeat nor skip.
 */
export interface ChatCursor {
  updatedAt: Date;
  id: string;
}

export function encodeCursor(cursor: ChatCursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): ChatCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && isId(value[1])) {
      const updatedAt = new Date(value[0]);
      if (!Number.isNaN(updatedAt.getTime())) return { updatedAt, id: value[1] };
    }
  } catch {
    // Falls through to the same answer as any other malformed cursor.
  }
  throw new ApiError(400, 'cursor is not a cursor this server handed out.', {
    code: 'invalid_cursor',
    param: 'cursor',
  });
}
