import { describe, expect, it } from 'vitest';
import { readSource, sourceFiles } from '../../support/source-files';

/** One core runs every Gemini call: no adapter may call the AI SDK's generate, stream or embed functions itself. */
const CALLS = /\b(generateText|streamText|embedMany|embed)\s*\(/;

describe('the core', () => {
  it('is the only caller of generateText, streamText and embedMany', () => {
    const callers = sourceFiles('lib', 'app', 'components').filter((file) => CALLS.test(readSource(file)));
    expect(callers.length).toBeGreaterThan(0);
    expect(callers.filter((file) => !file.startsWith('lib/core/'))).toEqual([]);
  });
});
