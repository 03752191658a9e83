import { createHmac } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import type { Config } from '@/lib/config';
import { invalidRequest } from '@/lib/errors';
import { sessionSecret } from '@/lib/sessions/secret';

/**
 * Gemini 3 signs its reasoning with thought signatures that must come back with the function calls they belong
 * to. Responses clients replay a `reasoning` item's `encrypted_content` verbatim (and some drop fields they do not
 * know from `function_call` items), so the signatures travel there, sealed with the server's secret: a client can
 * neither read nor forge them, and any instance of the deployment can open them.
 */

const Sealed = z.object({
  v: z.literal(1),
  /** Thought signature by function call id. */
  calls: z.record(z.string(), z.string()),
});
export type ThoughtSignatures = Record<string, string>;

async function password(config: Pick<Config, 'sessionSecret'>): Promise<string> {
  const base = await sessionSecret(config);
  // Its own key, so a sealed signature can never pass for a session cookie or the other way round.
  return createHmac('sha256', base).update('iris-reasoning-v1').digest('hex');
}

export async function sealSignatures(calls: ThoughtSignatures, config: Pick<Config, 'sessionSecret'>): Promise<string> {
  return sealData({ v: 1, calls } satisfies z.infer<typeof Sealed>, { password: await password(config), ttl: 0 });
}

/** The signatures in an `encrypted_content` Iris sealed; a 400 naming `param` for anything else. */
export async function unsealSignatures(
  sealed: string,
  param: string,
  config: Pick<Config, 'sessionSecret'>,
): Promise<ThoughtSignatures> {
  const opened = await unsealData<unknown>(sealed, { password: await password(config), ttl: 0 }).catch(() => undefined);
  const parsed = Sealed.safeParse(opened);
  if (!parsed.success) {
    throw invalidRequest(
      `${param} was not issued by this server (or its secret has changed since): send back reasoning items exactly as Iris returned them, or leave them out.`,
      param,
      'invalid_encrypted_content',
    );
  }
  return parsed.data.calls;
}
