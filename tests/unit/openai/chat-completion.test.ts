import type { LanguageModelUsage } from 'ai';
import { describe, expect, it } from 'vitest';
import { SSE_DONE, sseComment, sseData } from '@/lib/http/sse';
import { chatCompletion, chatCompletionChunk, newCompletionIdentity } from '@/lib/openai/chat-completion';
import { toOpenAIFinishReason } from '@/lib/openai/map-finish-reason';
import { toOpenAIUsage } from '@/lib/openai/usage';
import { validateOpenAI } from '../../support/openapi.ts';

const usage: LanguageModelUsage = {
  inputTokens: 120,
  inputTokenDetails: { noCacheTokens: 100, cacheReadTokens: 20, cacheWriteTokens: undefined },
  outputTokens: 50,
  outputTokenDetails: { textTokens: 30, reasoningTokens: 20 },
  totalTokens: 170,
};

describe('OpenAI response shapes', () => {
  it('maps every SDK finish reason to an OpenAI one', () => {
    expect(toOpenAIFinishReason('stop')).toBe('stop');
    expect(toOpenAIFinishReason('length')).toBe('length');
    expect(toOpenAIFinishReason('content-filter')).toBe('content_filter');
    expect(toOpenAIFinishReason('tool-calls')).toBe('tool_calls');
    expect(toOpenAIFinishReason('other')).toBe('stop');
    expect(toOpenAIFinishReason('error')).toBe('stop');
  });

  it('tells Gemini reasons the SDK lumps into other apart by their raw value', () => {
    expect(toOpenAIFinishReason('other', 'IMAGE_PROHIBITED_CONTENT')).toBe('content_filter');
    expect(toOpenAIFinishReason('other', 'IMAGE_RECITATION')).toBe('content_filter');
    expect(toOpenAIFinishReason('other', 'LANGUAGE')).toBe('stop');
    expect(toOpenAIFinishReason('other', undefined)).toBe('stop');
  });

  it('counts thinking inside completion tokens and reports cached and reasoning details', () => {
    expect(toOpenAIUsage(usage)).toEqual({
      prompt_tokens: 120,
      completion_tokens: 50,
      total_tokens: 170,
      prompt_tokens_details: { cached_tokens: 20 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
  });

  it('fills gaps in usage with zeros rather than nulls', () => {
    const empty: LanguageModelUsage = {
      inputTokens: undefined,
      inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
      outputTokens: undefined,
      outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
      totalTokens: undefined,
    };
    expect(toOpenAIUsage(empty)).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('builds schema-valid completions and chunks', () => {
    const identity = newCompletionIdentity('gemini-3-flash-preview');
    expect(identity.id).toMatch(/^chatcmpl-[A-Za-z0-9_-]{24}$/);
    expect(Number.isInteger(identity.created)).toBe(true);
    const completion = chatCompletion(identity, { text: 'hi', finishReason: 'stop', usage });
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual([]);
    const first = chatCompletionChunk(identity, { delta: { role: 'assistant', content: '' } }, null);
    const last = chatCompletionChunk(identity, { delta: {}, finishReason: 'length' }, null);
    const usageChunk = chatCompletionChunk(identity, null, toOpenAIUsage(usage));
    for (const chunk of [first, last, usageChunk]) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    }
    expect(usageChunk.choices).toEqual([]);
    expect('usage' in chatCompletionChunk(identity, { delta: { content: 'x' } }, undefined)).toBe(false);
  });
});

describe('SSE encoding', () => {
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it('frames JSON as one data line followed by a blank line', () => {
    expect(text(sseData({ a: 'line\nbreak' }))).toBe('data: {"a":"line\\nbreak"}\n\n');
    expect(text(sseComment('ping'))).toBe(': ping\n\n');
    expect(text(SSE_DONE)).toBe('data: [DONE]\n\n');
  });
});
