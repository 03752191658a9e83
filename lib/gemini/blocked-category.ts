import type { ProviderMetadata } from 'ai';
import { z } from 'zod';

/**
 * What Gemini blocked, in words a reader understands, from the safety ratings it sends with a SAFETY stop (the
 * rating marked `blocked`) or with a refused prompt (`promptFeedback.blockReason`). Null when it says nothing.
 */

const CATEGORY_WORDS = new Map([
  ['HARM_CATEGORY_DANGEROUS_CONTENT', 'dangerous content'],
  ['HARM_CATEGORY_HATE_SPEECH', 'hate speech'],
  ['HARM_CATEGORY_HARASSMENT', 'harassment'],
  ['HARM_CATEGORY_SEXUALLY_EXPLICIT', 'sexually explicit content'],
  ['HARM_CATEGORY_CIVIC_INTEGRITY', 'civic integrity'],
]);

const BLOCK_REASON_WORDS = new Map([
  ['PROHIBITED_CONTENT', 'prohibited content'],
  ['BLOCKLIST', 'blocked terms'],
  ['IMAGE_SAFETY', 'image safety'],
]);

const Rating = z.object({ category: z.string().optional(), blocked: z.boolean().nullish() }).loose();
const GoogleMetadata = z
  .object({
    safetyRatings: z.array(Rating).nullish(),
    promptFeedback: z.object({ blockReason: z.string().nullish(), safetyRatings: z.array(Rating).nullish() }).nullish(),
  })
  .loose();

export function blockedCategory(providerMetadata: ProviderMetadata | undefined): string | null {
  const parsed = GoogleMetadata.safeParse(providerMetadata?.google);
  if (!parsed.success) return null;
  const { safetyRatings, promptFeedback } = parsed.data;
  const blocked = [...(safetyRatings ?? []), ...(promptFeedback?.safetyRatings ?? [])].find((r) => r.blocked);
  const category = blocked?.category;
  if (category) return CATEGORY_WORDS.get(category) ?? category.replace(/^HARM_CATEGORY_/, '').toLowerCase();
  const reason = promptFeedback?.blockReason;
  if (reason && reason !== 'SAFETY' && reason !== 'BLOCK_REASON_UNSPECIFIED') {
    return BLOCK_REASON_WORDS.get(reason) ?? reason.toLowerCase().replaceAll('_', ' ');
  }
  return null;
}
