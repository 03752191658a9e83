import type { FileUIPart } from 'ai';
import type { IrisUIMessage } from '@/lib/client/chats-api';

/** The text of a message, its parts joined as they were written. */
export function textOfMessage(message: IrisUIMessage): string {
  return message.parts
    .flatMap((part) => (part.type === 'text' ? [part.text] : []))
    .join('')
    .trim();
}

export function imagesOfMessage(message: IrisUIMessage): FileUIPart[] {
  return message.parts.filter((part): part is FileUIPart => part.type === 'file');
}

export function reasoningOfMessage(message: IrisUIMessage): string {
  return message.parts
    .flatMap((part) => (part.type === 'reasoning' ? [part.text] : []))
    .join('\n\n')
    .trim();
}
