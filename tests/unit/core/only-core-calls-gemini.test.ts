import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** One core runs every Gemini call: no adapter may call the AI SDK's generate, stream or embed functions itself. */
const root = path.resolve(import.meta.dirname, '../../..');
const CALLS = /\b(generateText|streamText|embedMany|embed)\s*\(/;

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

describe('the core', () => {
  it('is the only caller of generateText, streamText and embedMany', () => {
    const files = [...sources('lib'), ...sources('app'), ...sources('components')];
    const callers = files.filter((file) => CALLS.test(readFileSync(path.join(root, file), 'utf8')));
    expect(callers.length).toBeGreaterThan(0);
    expect(callers.filter((file) => !file.startsWith('lib/core/'))).toEqual([]);
  });
});
