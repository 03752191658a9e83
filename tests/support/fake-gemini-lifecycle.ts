import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type FakeGemini, type FakeGeminiOptions, startFakeGemini } from '../fake-gemini/server.ts';

/**
 * A fake Gemini for the tests of the calling file or describe block: started before them, emptied of recorded
 * requests before each, closed after. Returns a getter, because the server exists only once the tests run.
 */
export function fakeGeminiForTests(options: FakeGeminiOptions = {}): () => FakeGemini {
  let fake: FakeGemini | undefined;
  beforeAll(async () => {
    fake = await startFakeGemini(options);
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake?.reset();
  });
  return () => {
    if (!fake) throw new Error('the fake Gemini is not running outside the tests');
    return fake;
  };
}
