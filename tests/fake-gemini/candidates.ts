/**
 * Real Gemini samples every call afresh, so the n parallel calls behind Iris's `n` answer differently. The fake
 * is deterministic; it tells such calls apart by what differs between them, the seed (Iris gives candidate i
 * the caller's seed + i), so a test can see which call became which choice.
 */
export function samplingNote(generationConfig: Record<string, unknown> | null): string {
  const seed = generationConfig?.seed;
  return typeof seed === 'number' ? ` Seed ${seed}.` : '';
}
