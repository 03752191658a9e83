import { describe, expect, it } from 'vitest';
import { forImageChat } from '@/lib/chat/handle-models';

describe('forImageChat', () => {
  it('keeps chat models and drops those that cannot look at an image in a chat', () => {
    const ids = [
      'gemini-3-flash-preview',
      'gemini-3.1-pro-preview',
      'gemini-2.5-flash-lite',
      'gemini-2.5-flash-preview-tts',
      'gemini-embedding-001',
      'imagen-4.0-generate-001',
      'veo-3.0-generate-preview',
      'gemini-2.5-flash-native-audio-preview',
      'gemini-live-2.5-flash-preview',
      'aqa',
    ];
    expect(forImageChat(ids.map((id) => ({ id, methods: ['generateContent'] }))).map((m) => m.id)).toEqual([
      'gemini-3-flash-preview',
      'gemini-3.1-pro-preview',
      'gemini-2.5-flash-lite',
    ]);
  });
});
