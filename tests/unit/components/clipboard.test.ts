import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from '@/lib/client/clipboard';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('copyText', () => {
  it('uses the async Clipboard API when the origin offers it', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    await expect(copyText('hello')).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith('hello');
  });

  it('reports failure instead of throwing when the API refuses and there is no document to fall back on', async () => {
    vi.stubGlobal('navigator', { clipboard: { writeText: vi.fn().mockRejectedValue(new Error('NotAllowedError')) } });
    vi.stubGlobal('document', undefined);
    await expect(copyText('hello')).resolves.toBe(false);
  });

  it('reports failure when neither route exists (insecure origin, no DOM)', async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('document', undefined);
    await expect(copyText('hello')).resolves.toBe(false);
  });
});
