import { describe, expect, it } from 'vitest';
import { chatTitle, IMAGE_CHAT_TITLE, titleFromAnswer, titleFromText } from '@/lib/chat/title';

describe('chat titles', () => {
  it('come from the first line of the first question, cut at a word', () => {
    expect(titleFromText('What is in this photo?\nAnd why?')).toBe('What is in this photo?');
    const long = titleFromText('word '.repeat(30));
    expect(long.length).toBeLessThanOrEqual(61);
    expect(long.endsWith('…')).toBe(true);
  });

  it('of an image-only chat come from the first answer, without its markdown', () => {
    expect(chatTitle('', '## **A tabby cat** on a [red sofa](https://x.test)\n\nMore.')).toBe(
      'A tabby cat on a red sofa',
    );
    expect(titleFromAnswer('```\ncode\n```\n- `Two` receipts, $12 total')).toBe('Two receipts, 12 total');
    expect(chatTitle('  ', undefined)).toBe(IMAGE_CHAT_TITLE);
    expect(chatTitle('', '   ')).toBe(IMAGE_CHAT_TITLE);
  });

  it('keep the question when there is one', () => {
    expect(chatTitle('Read the sign', 'It says STOP.')).toBe('Read the sign');
  });
});
