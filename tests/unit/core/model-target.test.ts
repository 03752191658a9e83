import { describe, expect, it } from 'vitest';
import { defaultModelAmong } from '@/lib/chat/default-model';
import { parseConfig } from '@/lib/config';
import { checkModelSettings, clampToModel, UnsupportedSettingError } from '@/lib/core/model-settings';
import { type ModelTarget, replacementAfterRefusal, resolveModel, substitutionHeaders } from '@/lib/core/model-target';
import { BUILT_IN_MODELS, type ModelInfo } from '@/lib/gemini/list-models';
import { newestOfTier, parseModelId, sameTierReplacement } from '@/lib/gemini/model-tier';
import { apiErrorOf } from '../../support/api-error.ts';
import { fakeGeminiForTests } from '../../support/fake-gemini-lifecycle.ts';

const chat = (id: string, extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  methods: ['generateContent', 'countTokens'],
  ...extra,
});
const ids = (...list: string[]) => list.map((id) => chat(id));
const never = () => false;

describe('parseModelId', () => {
  it('reads version, tier and stability out of Gemini ids', () => {
    expect(parseModelId('gemini-3.6-flash')).toEqual({ version: [3, 6], tier: 'flash', stable: true, plain: true });
    expect(parseModelId('gemini-3.1-pro-preview')).toMatchObject({ tier: 'pro', stable: false, plain: true });
    expect(parseModelId('gemini-2.5-flash-lite-preview-06-17')).toMatchObject({ tier: 'flash-lite', stable: false });
    expect(parseModelId('gemini-1.5-pro-latest')).toMatchObject({ version: [1, 5], tier: 'pro', stable: true });
    expect(parseModelId('gemini-2.0-flash-001')).toMatchObject({ tier: 'flash', plain: true });
    expect(parseModelId('gemini-2.5-flash-preview-tts')).toMatchObject({ tier: 'flash', plain: false });
    expect(parseModelId('gemini-3.1-flash-image-preview')).toMatchObject({ plain: false });
  });

  it('finds no tier in ids that fit none', () => {
    for (const id of ['gpt-4o', 'gemini-9-ultra-nonexistent', 'gemma-3-27b-it', 'gemini-flash-latest', 'claude-opus'])
      expect(parseModelId(id)).toBeUndefined();
  });
});

describe('sameTierReplacement', () => {
  const today = ids(
    'gemini-3.8-flash',
    'gemini-3.6-flash',
    'gemini-3.5-flash-lite',
    'gemini-3.1-flash-lite-preview',
    'gemini-3.1-pro-preview',
    'gemini-2.5-pro',
    'gemini-2.5-flash-preview-tts',
    'gemini-3.9-flash-image-preview',
  );

  it('picks the newest listed plain model of the same tier', () => {
    expect(sameTierReplacement('gemini-2.0-flash', today, never)?.id).toBe('gemini-3.8-flash');
    expect(sameTierReplacement('gemini-1.5-pro-latest', today, never)?.id).toBe('gemini-3.1-pro-preview');
    expect(sameTierReplacement('gemini-2.0-flash-lite', today, never)?.id).toBe('gemini-3.5-flash-lite');
  });

  it('ranks a stable release above a preview of the same version, and by number, not by text', () => {
    const list = ids('gemini-4-flash-preview', 'gemini-4-flash', 'gemini-3.10-flash', 'gemini-3.9-flash');
    expect(sameTierReplacement('gemini-2.0-flash', list, never)?.id).toBe('gemini-4-flash');
    expect(sameTierReplacement('gemini-2.0-flash', list.slice(2), never)?.id).toBe('gemini-3.10-flash');
  });

  it('skips refused ids, the asked id itself, and models that cannot chat', () => {
    const refused = (id: string) => id === 'gemini-3.8-flash';
    expect(sameTierReplacement('gemini-2.0-flash', today, refused)?.id).toBe('gemini-3.6-flash');
    expect(sameTierReplacement('gemini-3.8-flash', today, never)?.id).toBe('gemini-3.6-flash');
    const embeddingOnly = [{ id: 'gemini-9-flash', methods: ['embedContent'] }];
    expect(sameTierReplacement('gemini-2.0-flash', embeddingOnly, never)).toBeUndefined();
  });

  it('has nothing for an id without a tier', () => {
    expect(sameTierReplacement('gpt-4o', today, never)).toBeUndefined();
    expect(newestOfTier('flash', today)?.id).toBe('gemini-3.8-flash');
  });
});

describe('model settings against metadata', () => {
  const gemma: ModelTarget = {
    asked: 'gemma-3-27b-it',
    id: 'gemma-3-27b-it',
    how: 'as-asked',
    info: chat('gemma-3-27b-it', { outputTokenLimit: 8192, maxTemperature: 1, thinking: false }),
  };

  it("refuses what the serving model's metadata rules out, naming the setting", () => {
    const tooLong = (() => {
      try {
        checkModelSettings(gemma, { maxOutputTokens: 8193 });
      } catch (error) {
        return error;
      }
    })();
    expect(UnsupportedSettingError.isInstance(tooLong)).toBe(true);
    expect(tooLong).toMatchObject({ setting: 'maxOutputTokens', value: 8193 });
    expect((tooLong as Error).message).toContain('8192');
    expect(() => checkModelSettings(gemma, { temperature: 1.5 })).toThrow(/maximum of 1/);
    expect(() => checkModelSettings(gemma, { maxOutputTokens: 8192, temperature: 1 })).not.toThrow();
    // Without metadata (the list could not be read) nothing is guessed: Gemini decides.
    expect(() => checkModelSettings({ ...gemma, info: undefined }, { maxOutputTokens: 1e6 })).not.toThrow();
  });

  it('clamps the chat’s saved preferences instead', () => {
    expect(clampToModel(gemma, { maxOutputTokens: 65536, temperature: 2, topP: 0.5 })).toEqual({
      maxOutputTokens: 8192,
      temperature: 1,
      topP: 0.5,
    });
  });
});

describe('the chat’s default model', () => {
  it('is CHAT_DEFAULT_MODEL when set, else the newest flash listed, else the built-in list’s', () => {
    expect(defaultModelAmong({ chatDefaultModel: 'gemini-3.1-pro-preview' }, ids('gemini-3.8-flash'))).toBe(
      'gemini-3.1-pro-preview',
    );
    const listed = ids('gemini-3.1-pro-preview', 'gemini-3.6-flash', 'gemini-3.8-flash', 'gemini-3.5-flash-lite');
    expect(defaultModelAmong({ chatDefaultModel: undefined }, listed)).toBe('gemini-3.8-flash');
    expect(defaultModelAmong({ chatDefaultModel: undefined }, ids('gemini-3.1-pro-preview'))).toBe(
      newestOfTier('flash', BUILT_IN_MODELS)?.id,
    );
  });
});

describe('resolveModel against Gemini’s list', () => {
  const fake = fakeGeminiForTests({ apiKeys: ['resolve-key', 'other-key'] });
  const upstream = (env: Record<string, string> = {}, apiKey = 'resolve-key') => ({
    config: parseConfig({ GOOGLE_GENERATIVE_AI_BASE_URL: fake().baseURL, MODELS_CACHE_TTL_MS: '1', ...env }),
    apiKey,
  });

  it('calls a listed model as asked, with its metadata, whatever prefix it came with', async () => {
    const target = await resolveModel('models/gemini-2.5-flash', upstream());
    expect(target).toMatchObject({ asked: 'gemini-2.5-flash', id: 'gemini-2.5-flash', how: 'as-asked' });
    expect(target.info).toMatchObject({ outputTokenLimit: 65536, thinking: true });
    expect(substitutionHeaders(target)).toEqual({});
  });

  it('serves an unlisted id by the newest listed model of its tier, and says so', async () => {
    const target = await resolveModel('gemini-1.5-pro-latest', upstream());
    expect(target).toMatchObject({ id: 'gemini-3.1-pro-preview', how: 'replacement' });
    expect(substitutionHeaders(target)).toEqual({
      'x-iris-model-substituted': 'gemini-1.5-pro-latest -> gemini-3.1-pro-preview',
    });
  });

  it('puts the operator’s alias first, even over a listed model', async () => {
    const target = await resolveModel(
      'gemini-2.5-flash',
      upstream({ MODEL_ALIASES: 'gemini-2.5-flash=gemma-3-27b-it' }),
    );
    expect(target).toMatchObject({ id: 'gemma-3-27b-it', how: 'alias' });
    expect(target.info?.thinking).toBe(false);
  });

  it('refuses an id that fits no tier, with a 404 on param model', async () => {
    // `constructor` once found Object's own member as an operator alias.
    for (const id of ['gemini-9-ultra-nonexistent', 'gpt-4o', 'constructor', '__proto__']) {
      const error = await resolveModel(id, upstream()).catch((e: unknown) => e);
      const apiError = apiErrorOf(() => {
        throw error;
      });
      expect([apiError.status, apiError.code, apiError.param]).toEqual([404, 'model_not_found', 'model']);
      expect(apiError.message).toContain(id);
    }
  });

  it('remembers a refusal per upstream key, so that key goes straight to the replacement', async () => {
    const first = await resolveModel('gemini-3.6-flash', upstream());
    expect(first.how).toBe('as-asked');
    const replacement = await replacementAfterRefusal(first, upstream());
    expect(replacement).toMatchObject({ asked: 'gemini-3.6-flash', id: 'gemini-3.8-flash', how: 'replacement' });
    expect(await resolveModel('gemini-3.6-flash', upstream())).toMatchObject({ id: 'gemini-3.8-flash' });
    expect(await resolveModel('gemini-3.6-flash', upstream({}, 'other-key'))).toMatchObject({ how: 'as-asked' });
  });

  it('calls any id as asked when the list cannot be read, since nothing says it is gone', async () => {
    await fetch(`${fake().origin}/__fake/config`, {
      method: 'POST',
      body: JSON.stringify({ modelsListStatus: 500 }),
    });
    const config = upstream({ GOOGLE_GENERATIVE_AI_BASE_URL: `${fake().baseURL}/` });
    const target = await resolveModel('gemini-2.0-flash', config);
    expect(target).toMatchObject({ id: 'gemini-2.0-flash', how: 'as-asked' });
    expect(target.info).toBeUndefined();
  });
});
