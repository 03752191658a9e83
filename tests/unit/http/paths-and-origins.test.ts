import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { hasMalformedEncoding } from '@/lib/http/path-encoding';
import { publicOrigin } from '@/lib/http/public-url';
import { findNul, replaceNul } from '@/lib/nul';

const headers = (values: Record<string, string>) => new Headers(values);

describe('hasMalformedEncoding', () => {
  it('finds the segments decodeURIComponent cannot decode, and nothing else', () => {
    for (const path of ['/api/files/%', '/api/chats/%ff%fe', '/v1/models/%E0%A4%A', '/c/a%zz']) {
      expect(hasMalformedEncoding(path), path).toBe(true);
    }
    for (const path of ['/api/chats/abc', '/v1/models/%25', '/v1/models/models%2Fgemini-3.8-flash', '/c/%C3%A9']) {
      expect(hasMalformedEncoding(path), path).toBe(false);
    }
  });
});

describe('publicOrigin', () => {
  it('uses PUBLIC_URL when set, whatever the Host header says', () => {
    const config = parseConfig({ PUBLIC_URL: 'https://iris.example.com/' });
    expect(config.publicUrl).toBe('https://iris.example.com');
    expect(publicOrigin(config, headers({ host: 'evil.example', 'x-forwarded-proto': 'https' }))).toBe(
      'https://iris.example.com',
    );
  });

  it('falls back to the request’s host, and reads only https or http from x-forwarded-proto', () => {
    const config = parseConfig({});
    expect(config.publicUrl).toBeUndefined();
    expect(publicOrigin(config, headers({ host: 'iris.local:3000' }))).toBe('http://iris.local:3000');
    expect(publicOrigin(config, headers({ host: 'iris.local', 'x-forwarded-proto': 'https, http' }))).toBe(
      'https://iris.local',
    );
    expect(publicOrigin(config, headers({ host: 'iris.local', 'x-forwarded-proto': 'javascript' }))).toBe(
      'http://iris.local',
    );
  });

  it('refuses a PUBLIC_URL that is not an http(s) origin', () => {
    for (const value of [
      'iris.example.com',
      'ftp://iris.example.com',
      'https://iris.example.com/v1',
      'https://a@b.c',
    ]) {
      expect(() => parseConfig({ PUBLIC_URL: value }), value).toThrow(/PUBLIC_URL/);
    }
  });
});

describe('the new limits in the environment', () => {
  it('has defaults, and refuses values out of range', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ unusedUploadDays: 7, chatMaxMessageChars: 200_000, bodyIdleTimeoutMs: 15_000 });
    expect(parseConfig({ UNUSED_UPLOAD_DAYS: '30', BODY_IDLE_TIMEOUT_MS: '500' })).toMatchObject({
      unusedUploadDays: 30,
      bodyIdleTimeoutMs: 500,
    });
    expect(() => parseConfig({ UNUSED_UPLOAD_DAYS: '0' })).toThrow(/UNUSED_UPLOAD_DAYS/);
    expect(() => parseConfig({ CHAT_MAX_MESSAGE_CHARS: 'lots' })).toThrow(/CHAT_MAX_MESSAGE_CHARS/);
  });
});

describe('NUL', () => {
  it('is found with its path, in values and in keys', () => {
    expect(findNul({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual(['a', 1, 'c']);
    expect(findNul({ input: [{ 'k\u0000': 1 }] })).toEqual(['input', 0, 'k\u0000']);
    expect(findNul({ a: ['fine', 1, null] })).toBeUndefined();
  });

  it('is replaced in model output, keys and values, without touching anything else', () => {
    expect(replaceNul({ text: 'a\u0000b', list: ['\u0000', 2], 'k\u0000': true })).toEqual({
      text: 'a\uFFFDb',
      list: ['\uFFFD', 2],
      'k\uFFFD': true,
    });
  });
});
