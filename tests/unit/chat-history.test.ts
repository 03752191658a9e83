import { describe, expect, it } from 'vitest';
import { toModelHistory } from '@/lib/chat/ui-messages';
import type { StoredMessage } from '@/lib/storage/messages';

const message = (
  id: string,
  role: 'user' | 'assistant',
  parts: StoredMessage['parts'],
  status: StoredMessage['status'] = 'complete',
): StoredMessage => ({
  id,
  chatId: 'c',
  role,
  parts,
  status,
  finishReason: null,
  usage: null,
  error: null,
  createdAt: new Date(),
});
const image = (fileId: string) => ({ type: 'file' as const, fileId, mediaType: 'image/png' });
const files = new Map([
  ['a', { bytes: new Uint8Array(400), mediaType: 'image/png' }],
  ['b', { bytes: new Uint8Array(400), mediaType: 'image/png' }],
  ['c', { bytes: new Uint8Array(400), mediaType: 'image/png' }],
]);

describe('toModelHistory', () => {
  it('sends every image of every turn when they fit, and skips answers without text', () => {
    const history = toModelHistory(
      [
        message('1', 'user', [image('a'), { type: 'text', text: 'what?' }]),
        message('2', 'assistant', [{ type: 'text', text: 'a square' }]),
        message('3', 'user', [image('b')]),
        message('4', 'assistant', [], 'streaming'),
      ],
      files,
      { maxImages: 16, maxBytes: 10_000 },
    );
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const sent = history.flatMap((m) => (Array.isArray(m.content) ? m.content.filter((p) => p.type === 'file') : []));
    expect(sent).toHaveLength(2);
  });

  it('keeps the newest images within the limits and names the older ones instead', () => {
    const history = toModelHistory(
      [message('1', 'user', [image('a')]), message('2', 'user', [image('b')]), message('3', 'user', [image('c')])],
      files,
      { maxImages: 2, maxBytes: 10_000 },
    );
    expect(history[0]?.content).toEqual([
      { type: 'text', text: '[An earlier image is not included, to stay within request limits.]' },
    ]);
    expect(Array.isArray(history[2]?.content) && history[2]?.content[0]?.type).toBe('file');
    const byBytes = toModelHistory([message('1', 'user', [image('a')]), message('2', 'user', [image('b')])], files, {
      maxImages: 16,
      maxBytes: 500,
    });
    expect(Array.isArray(byBytes[0]?.content) && byBytes[0]?.content[0]?.type).toBe('text');
    expect(Array.isArray(byBytes[1]?.content) && byBytes[1]?.content[0]?.type).toBe('file');
  });
});
