import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import {
  codeFenceLanguage,
  INCOMPLETE_IMAGE_SRC,
  INCOMPLETE_LINK_HREF,
  imageAsLink,
  linkKind,
  plainTextOf,
} from '@/components/markdown-content';

describe('linkKind', () => {
  it('treats a missing href or the streaming placeholder as not yet a link', () => {
    expect(linkKind(undefined)).toBe('incomplete');
    expect(linkKind('')).toBe('incomplete');
    expect(linkKind(INCOMPLETE_LINK_HREF)).toBe('incomplete');
  });

  it('keeps footnote and heading anchors in the page', () => {
    expect(linkKind('#fn-1')).toBe('in-page');
  });

  it('sends everything else to a new tab', () => {
    expect(linkKind('https://example.com/a#b')).toBe('external');
    expect(linkKind('mailto:a@example.com')).toBe('external');
  });
});

describe('imageAsLink', () => {
  it('turns a remote image into a link that names its host', () => {
    expect(imageAsLink('https://tracker.example/pixel.png?u=1')).toEqual({
      href: 'https://tracker.example/pixel.png?u=1',
      host: 'tracker.example',
    });
  });

  it('links relative URLs without inventing a host', () => {
    expect(imageAsLink('/files/a.png')).toEqual({ href: '/files/a.png', host: null });
  });

  it('refuses placeholders, non-web schemes and non-strings', () => {
    expect(imageAsLink(INCOMPLETE_IMAGE_SRC)).toBeNull();
    expect(imageAsLink('javascript:alert(1)')).toBeNull();
    expect(imageAsLink('data:image/png;base64,AAAA')).toBeNull();
    expect(imageAsLink('')).toBeNull();
    expect(imageAsLink(undefined)).toBeNull();
    expect(imageAsLink(new Blob())).toBeNull();
  });
});

describe('codeFenceLanguage', () => {
  it('reads the language from the class markdown puts on <code>', () => {
    expect(codeFenceLanguage('language-ts')).toBe('ts');
    expect(codeFenceLanguage('foo language-c++ bar')).toBe('c++');
  });

  it('returns an empty string for unlabelled fences', () => {
    expect(codeFenceLanguage(undefined)).toBe('');
    expect(codeFenceLanguage('not-a-language-x')).toBe('');
  });
});

describe('plainTextOf', () => {
  it('collects the text of nested elements in order', () => {
    const tree = createElement('span', null, 'const ', createElement('b', null, 'x'), [' = ', 1]);
    expect(plainTextOf(tree)).toBe('const x = 1');
  });

  it('ignores booleans and empty values', () => {
    expect(plainTextOf([null, false, undefined, 'a'])).toBe('a');
  });
});
