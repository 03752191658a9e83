import type { Config } from '@/lib/config';
import { invalidRequest } from '@/lib/errors';
import { readJsonBody } from '@/lib/http/read-json-body';

// The request around a message: ids, the trigger, the model, file references.
const ENVELOPE_BYTES = 64 * 1024;
// A character is at most 3 bytes of UTF-8 in the browser's JSON (4-byte characters are 2 UTF-16 units).
const BYTES_PER_CHAR = 3;

/** The most bytes a /api/chat body may have: one message of CHAT_MAX_MESSAGE_CHARS, and the request around it. */
export function chatBodyLimit(config: Pick<Config, 'chatMaxMessageChars'>): number {
  return config.chatMaxMessageChars * BYTES_PER_CHAR + ENVELOPE_BYTES;
}

/**
 * The body of POST /api/chat. Images travel through /api/files, so a chat message is text and references only:
 * its limit is sized from CHAT_MAX_MESSAGE_CHARS rather than MAX_REQUEST_BYTES, and a string longer than that is
 * refused while it is still arriving.
 */
export function readChatBody(request: Request, config: Config): Promise<unknown> {
  return readJsonBody(request, chatBodyLimit(config), {
    limitName: 'CHAT_MAX_MESSAGE_CHARS',
    limitAdvice: 'Images are uploaded on their own, through /api/files; a message carries text and references.',
    json: { maxStringChars: config.chatMaxMessageChars },
    onLongString: () =>
      invalidRequest(
        `The message has more than ${config.chatMaxMessageChars.toLocaleString('en-US')} characters of text (CHAT_MAX_MESSAGE_CHARS); send less, or split it.`,
        'message',
        'message_too_long',
      ),
  });
}
