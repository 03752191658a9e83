import type { Config } from '@/lib/config';
import { resolveOwner } from '@/lib/owner';

/**
 * The owner whose data a UI route may touch. A change made on the strength of the session cookie must
 * come from Iris's own pages (resolveOwner checks the origin for mutating requests).
 */
export async function requireOwner(request: Request, config: Config, options: { mutating: boolean }): Promise<string> {
  return (await resolveOwner(request, config, { mutating: options.mutating })).ownerId;
}
