import { describe, expect, it } from 'vitest';
import { blockedCategory } from '@/lib/gemini/blocked-category';

const rating = (category: string, blocked?: boolean) => ({
  category,
  probability: 'HIGH',
  ...(blocked ? { blocked } : {}),
});

describe('blockedCategory', () => {
  it('names the rating Gemini marked as blocked', () => {
    const google = {
      safetyRatings: [rating('HARM_CATEGORY_HATE_SPEECH'), rating('HARM_CATEGORY_DANGEROUS_CONTENT', true)],
    };
    expect(blockedCategory({ google })).toBe('dangerous content');
  });

  it('reads a refused prompt’s feedback, and a block reason other than SAFETY', () => {
    expect(
      blockedCategory({
        google: {
          promptFeedback: { blockReason: 'SAFETY', safetyRatings: [rating('HARM_CATEGORY_HARASSMENT', true)] },
        },
      }),
    ).toBe('harassment');
    expect(blockedCategory({ google: { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } } })).toBe(
      'prohibited content',
    );
  });

  it('says nothing when Gemini says nothing', () => {
    expect(blockedCategory(undefined)).toBeNull();
    expect(blockedCategory({ google: { safetyRatings: [rating('HARM_CATEGORY_HATE_SPEECH')] } })).toBeNull();
    expect(blockedCategory({ google: { promptFeedback: { blockReason: 'SAFETY' } } })).toBeNull();
    expect(blockedCategory({ google: { safetyRatings: 'odd' } } as never)).toBeNull();
  });
});
