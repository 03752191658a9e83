import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function sourcesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(tsx|ts)$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe('colours', () => {
  it('come from the semantic tokens, not from grey palette classes with dark: twins', () => {
    // A dark: grey is a colour decided per component; the tokens in app/globals.css decide it once for the theme.
    const offenders = [...sourcesUnder('components'), ...sourcesUnder('app')].flatMap((file) => {
      const matches = readFileSync(path.join(ROOT, file), 'utf8').match(
        /dark:[\w:[\]&=-]*(?:zinc|gray|slate|neutral)-\d+/g,
      );
      return matches ? [`${file}: ${matches.join(' ')}`] : [];
    });
    expect(offenders).toEqual([]);
  });

  it('every token used has a light and a dark value', () => {
    const css = readFileSync(path.join(ROOT, 'app/globals.css'), 'utf8');
    const tokens = [...css.matchAll(/--color-([\w-]+): var\(--([\w-]+)\)/g)].map((m) => m[2]);
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) {
      // :root, [data-theme=dark] and the system-dark media query each define it.
      expect(css.match(new RegExp(`--${token}: #[0-9a-f]{6};`, 'g'))?.length, token).toBe(3);
    }
  });
});
