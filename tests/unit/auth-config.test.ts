import { describe, expect, it } from 'vitest';
import { authenticate, bearerToken } from '@/lib/auth';
import { ConfigError, parseConfig } from '@/lib/config';
import { stripModelsPrefix } from '@/lib/gemini/model-id';
import { nodeTooOld } from '@/lib/startup-checks';
import { apiErrorOf } from '../support/api-error.ts';

const GEMINI_LOOKING = `AIza${'x'.repeat(35)}`;
const headers = (token?: string) => new Headers(token === undefined ? {} : { authorization: `Bearer ${token}` });

describe('parseConfig', () => {
  it('applies documented defaults', () => {
    const config = parseConfig({});
    expect(config.gemini.baseURL).toBe('https://generativelanguage.googleapis.com/v1beta');
    expect(config.auth.apiKeys).toEqual([]);
    expect(config.images.allowPrivateAddresses).toBe(false);
    expect(config.images.maxBytes).toBe(20 * 1024 * 1024);
    // No built-in aliases: retired ids are served from Gemini's own list, which moves with Google.
    expect(config.modelAliases).toEqual(new Map());
    expect(config.chatDefaultModel).toBeUndefined();
    expect(config.corsAllowOrigin).toBe('*');
    expect(config.chatImages).toEqual({ maxEdge: 2048, maxPerMessage: 10 });
  });

  it('parses keys, flags and aliases', () => {
    const config = parseConfig({
      API_KEYS: ' a, b ,,c ',
      IMAGE_FETCH_ALLOW_PRIVATE: 'true',
      MODEL_ALIASES: 'fast=models/gemini-3-flash-preview, best = gemini-3.1-pro-preview',
      GOOGLE_GENERATIVE_AI_BASE_URL: 'http://127.0.0.1:9/v1beta/',
    });
    expect(config.auth.apiKeys).toEqual(['a', 'b', 'c']);
    expect(config.images.allowPrivateAddresses).toBe(true);
    expect(config.modelAliases).toEqual(
      new Map([
        ['fast', 'gemini-3-flash-preview'],
        ['best', 'gemini-3.1-pro-preview'],
      ]),
    );
    expect(config.gemini.baseURL).toBe('http://127.0.0.1:9/v1beta');
  });

  it('reads an empty MODEL_ALIASES as no aliases, and CHAT_DEFAULT_MODEL without its models/ prefix', () => {
    expect(parseConfig({ MODEL_ALIASES: '' }).modelAliases).toEqual(new Map());
    expect(parseConfig({ CHAT_DEFAULT_MODEL: 'models/gemini-3.6-flash' }).chatDefaultModel).toBe('gemini-3.6-flash');
  });

  it.each([
    ['MAX_IMAGE_BYTES', 'lots'],
    ['IMAGE_FETCH_ALLOW_PRIVATE', 'yes'],
    ['GOOGLE_GENERATIVE_AI_BASE_URL', 'ftp://x'],
    ['MODEL_ALIASES', 'a=b=c'],
    ['UPSTREAM_MAX_RETRIES', '9'],
    ['CHAT_IMAGE_MAX_EDGE', '100'],
    ['CHAT_MAX_IMAGES_PER_MESSAGE', '0'],
  ])('fails naming %s when it is %j', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});

describe('stripModelsPrefix', () => {
  it('names models/gemini-x and gemini-x alike', () => {
    expect(stripModelsPrefix('models/gemini-3-flash-preview')).toBe('gemini-3-flash-preview');
    expect(stripModelsPrefix('gemini-2.5-flash')).toBe('gemini-2.5-flash');
  });
});

describe('authenticate', () => {
  const withKeys = parseConfig({
    API_KEYS: 'k1,k2',
    GOOGLE_GENERATIVE_AI_API_KEY: 'server-key',
    NODE_ENV: 'production',
  });

  it('accepts any configured key and serves it with the server’s Gemini key', () => {
    expect(authenticate(headers('k2'), withKeys)).toEqual({ upstreamApiKey: 'server-key', bringsOwnKey: false });
  });

  it('refuses a missing or wrong key without echoing it', () => {
    expect(apiErrorOf(() => authenticate(headers(), withKeys))).toMatchObject({ status: 401, code: 'missing_api_key' });
    const wrong = apiErrorOf(() => authenticate(headers('k3-secret'), withKeys));
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(JSON.stringify(wrong.toJSON())).not.toContain('k3-secret');
  });

  it('forwards a Gemini-looking key only when passthrough is on', () => {
    expect(apiErrorOf(() => authenticate(headers(GEMINI_LOOKING), withKeys)).status).toBe(401);
    const passthrough = parseConfig({ API_KEYS: 'k1', GEMINI_KEY_PASSTHROUGH: 'true' });
    expect(authenticate(headers(GEMINI_LOOKING), passthrough)).toEqual({
      upstreamApiKey: GEMINI_LOOKING,
      bringsOwnKey: true,
    });
    expect(apiErrorOf(() => authenticate(headers('AIzashort'), passthrough)).status).toBe(401);
  });

  it('is open in development without API_KEYS and closed in production', () => {
    const dev = parseConfig({ NODE_ENV: 'development', GOOGLE_GENERATIVE_AI_API_KEY: 'g' });
    expect(authenticate(headers(), dev).upstreamApiKey).toBe('g');
    const prod = parseConfig({ NODE_ENV: 'production', GOOGLE_GENERATIVE_AI_API_KEY: 'g' });
    const refused = apiErrorOf(() => authenticate(headers('anything'), prod));
    expect(refused).toMatchObject({ status: 401, code: 'gateway_keys_not_configured' });
    expect(refused.message).toContain('API_KEYS');
  });

  it('says so when the server has no Gemini key', () => {
    const noUpstream = parseConfig({ API_KEYS: 'k1' });
    expect(apiErrorOf(() => authenticate(headers('k1'), noUpstream))).toMatchObject({
      status: 503,
      code: 'upstream_key_not_configured',
    });
  });

  it('reads the Bearer scheme case-insensitively', () => {
    expect(bearerToken(new Headers({ authorization: 'bearer   abc ' }))).toBe('abc');
    expect(bearerToken(new Headers({ authorization: 'Basic abc' }))).toBeUndefined();
  });
});

describe('nodeTooOld', () => {
  it('refuses Node before 22 with a message that says what to do, and accepts 22 and later', () => {
    expect(nodeTooOld('20.20.2')).toMatch(/Node 20\.20\.2 is too old; it needs Node 22 or newer.*npm start/);
    expect(nodeTooOld('22.12.0')).toBeNull();
    expect(nodeTooOld('24.21.0')).toBeNull();
  });
});
