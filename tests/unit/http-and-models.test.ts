import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BoundedCache } from '@/lib/bounded-cache';
import { BUILT_IN_MODELS, canChat, canEmbed, listGeminiModels } from '@/lib/gemini/list-models';
import { corsHeaders } from '@/lib/http/cors';
import { type FakeGemini, startFakeGemini } from '../fake-gemini/server.ts';

describe('corsHeaders', () => {
  const preflight = (origin: string) =>
    new Request('http://iris/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-headers': 'authorization,x-stainless-lang' },
    });

  it('allows any origin by default and echoes the requested headers on preflight', () => {
    const headers = corsHeaders({ corsAllowOrigin: '*' }, preflight('https://a.example'));
    expect(headers['access-control-allow-origin']).toBe('*');
    expect(headers['access-control-allow-headers']).toBe('authorization,x-stainless-lang');
    expect(headers['access-control-expose-headers']).toContain('retry-after');
  });

  it('echoes only listed origins when given a list', () => {
    const config = { corsAllowOrigin: 'https://a.example, https://b.example/' };
    expect(corsHeaders(config, preflight('https://b.example'))['access-control-allow-origin']).toBe(
      'https://b.example',
    );
    expect(corsHeaders(config, preflight('https://evil.example'))['access-control-allow-origin']).toBeUndefined();
    expect(corsHeaders(config, preflight('https://a.example')).vary).toBe('origin');
  });
});

describe('BoundedCache', () => {
  it('forgets entries after their time and evicts the oldest beyond its size', () => {
    vi.useFakeTimers();
    try {
      const cache = new BoundedCache<number>(2);
      cache.set('a', 1, 1_000);
      cache.set('b', 2, 5_000);
      cache.set('c', 3, 5_000);
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toBe(2);
      vi.advanceTimersByTime(5_001);
      expect(cache.get('b')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('listGeminiModels', () => {
  let fake: FakeGemini;
  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterAll(async () => {
    await fake.close();
  });

  const listCalls = () => fake.requests.filter((r) => r.method === 'listModels').length;

  it('keeps every model with its methods and limits, without the models/ prefix, and caches them', async () => {
    const options = { baseURL: fake.baseURL, apiKey: 'fake-gemini-key', ttlMs: 60_000 };
    const list = await listGeminiModels(options);
    expect(list.fromUpstream).toBe(true);
    const flash = list.models.find((m) => m.id === 'gemini-3-flash-preview');
    expect(flash).toMatchObject({ outputTokenLimit: 65536, maxTemperature: 2, thinking: true });
    expect(flash && canChat(flash)).toBe(true);
    const embedding = list.models.find((m) => m.id === 'gemini-embedding-001');
    expect(embedding && [canChat(embedding), canEmbed(embedding)]).toEqual([false, true]);
    const calls = listCalls();
    await listGeminiModels(options);
    expect(listCalls()).toBe(calls);
  });

  it('falls back to the built-in list when Gemini refuses, and tries again soon', async () => {
    await fetch(`${fake.origin}/__fake/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modelsListStatus: 500 }),
    });
    const list = await listGeminiModels({ baseURL: fake.baseURL, apiKey: 'other-key', ttlMs: 60_000 });
    expect(list).toEqual({ models: [...BUILT_IN_MODELS], fromUpstream: false });
  });
});
