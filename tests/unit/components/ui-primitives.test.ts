import { describe, expect, it } from 'vitest';
import { readSource, sourceFiles } from '../../support/source-files';

describe('primitives', () => {
  it('every button is the Button of components/ui, every dialog its Dialog frame', () => {
    // The lightbox is a full-screen image viewer with its own keys and backdrop, not a dialog frame.
    const own = new Set(['components/ui/button.tsx', 'components/ui/dialog.tsx', 'components/lightbox.tsx']);
    const raw = sourceFiles('components', 'app').flatMap((file) => {
      if (own.has(file)) return [];
      const text = readSource(file);
      return /<button[\s>]|<dialog[\s>]/.test(text) ? [file] : [];
    });
    expect(raw).toEqual([]);
  });
});

describe('colours', () => {
  it('come from the semantic tokens, not from grey, red or amber palette classes with dark: twins', () => {
    // A dark: grey is a colour decided per component; the tokens in app/globals.css decide it once for the theme.
    const offenders = sourceFiles('components', 'app').flatMap((file) => {
      const matches = readSource(file).match(/dark:[\w:[\]&=-]*(?:zinc|gray|slate|neutral|red|amber)-\d+/g);
      return matches ? [`${file}: ${matches.join(' ')}`] : [];
    });
    expect(offenders).toEqual([]);
  });

  it('every token used has a light and a dark value', () => {
    const css = readSource('app/globals.css');
    const tokens = [...css.matchAll(/--color-([\w-]+): var\(--([\w-]+)\)/g)].map((m) => m[2]);
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) {
      // :root, [data-theme=dark] and the system-dark media query each define it.
      expect(css.match(new RegExp(`--${token}: #[0-9a-f]{6};`, 'g'))?.length, token).toBe(3);
    }
  });
});
