import { describe, expect, it } from 'vitest';
import { imagesWithinLimits, storedPartsOfResponse, toModelHistory, toStoredParts } from '@/lib/chat/ui-messages';
import type { StoredMessage } from '@/lib/storage/messages';

const message = (
  id: string,
  role: 'user' | 'assistant',
  parts: StoredMessage['parts'],
  status: StoredMessage['status'] = 'complete',
): StoredMessage => ({
  id,
  chatId: 'c',
  parentId: null,
  role,
  parts,
  status,
  finishReason: null,
  usage: null,
  error: null,
  notice: null,
  model: null,
  finishDetail: null,
  createdAt: new Date(),
});
const image = (fileId: string) => ({ type: 'file' as const, fileId, mediaType: 'image/png' });
const file = { bytes: new Uint8Array(400), mediaType: 'image/png' };
const sizes = new Map([
  ['a', { byteSize: 400 }],
  ['b', { byteSize: 400 }],
  ['c', { byteSize: 400 }],
]);
const PLACEHOLDER = { type: 'text', text: '[An earlier image is not included, to stay within request limits.]' };

describe('toModelHistory', () => {
  it('sends the images it is given, names the others, and skips answers without text', () => {
    const history = toModelHistory(
      [
        message('1', 'user', [image('a'), { type: 'text', text: 'what?' }]),
        message('2', 'assistant', [{ type: 'text', text: 'a square' }]),
        message('3', 'user', [image('b')]),
        message('4', 'assistant', [], 'streaming'),
      ],
      new Map([['b', file]]),
    );
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(history[0]?.content).toEqual([PLACEHOLDER, { type: 'text', text: 'what?' }]);
    expect(history[2]?.content).toEqual([{ type: 'file', mediaType: 'image/png', data: file.bytes }]);
  });
});

describe('imagesWithinLimits', () => {
  const chat = [
    message('1', 'user', [image('a')]),
    message('2', 'user', [image('b')]),
    message('3', 'user', [image('c')]),
  ];

  it('keeps every image when they fit', () => {
    expect(imagesWithinLimits(chat, sizes, { maxImages: 16, maxBytes: 10_000 }).sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps the newest images within the count and the byte budget', () => {
    expect(imagesWithinLimits(chat, sizes, { maxImages: 2, maxBytes: 10_000 })).toEqual(['c', 'b']);
    expect(imagesWithinLimits(chat, sizes, { maxImages: 16, maxBytes: 500 })).toEqual(['c']);
  });

  it('ignores references to files that no longer exist', () => {
    expect(
      imagesWithinLimits([message('1', 'user', [image('gone')])], sizes, { maxImages: 16, maxBytes: 10_000 }),
    ).toEqual([]);
  });
});

describe('toStoredParts', () => {
  const incoming = (...texts: string[]) => ({
    id: 'm1',
    role: 'user' as const,
    parts: texts.map((text) => ({ type: 'text', text })),
  });

  it('holds a message to maxChars over all its text parts, naming the part that passed it', () => {
    expect(toStoredParts(incoming('12345', '67890'), 'message', { maxChars: 10 })).toHaveLength(2);
    expect(() => toStoredParts(incoming('12345', '678901'), 'message', { maxChars: 10 })).toThrow(
      expect.objectContaining({ status: 400, code: 'message_too_long', param: 'message.parts[1].text' }),
    );
  });

  it('refuses a NUL in the text, naming the field', () => {
    expect(() => toStoredParts(incoming('fine', 'h\u0000i'), 'message')).toThrow(
      expect.objectContaining({ status: 400, param: 'message.parts[1].text' }),
    );
  });
});

describe('storedPartsOfResponse', () => {
  it('stores a NUL Gemini wrote as U+FFFD, since the database cannot hold it', () => {
    const parts = storedPartsOfResponse({
      id: 'a',
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'think\u0000', state: 'done' },
        { type: 'text', text: 'an\u0000swer', state: 'done' },
      ],
    });
    expect(parts).toEqual([
      { type: 'reasoning', text: 'think\uFFFD' },
      { type: 'text', text: 'an\uFFFDswer' },
    ]);
  });
});
