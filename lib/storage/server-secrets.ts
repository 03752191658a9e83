import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { serverSecrets } from '@/lib/db/schema';

/**
 * The stored secret called `name`, made from `generate` the first time. Instances starting together may all
 * generate one; the insert keeps whichever came first and everyone reads that one back.
 */
export async function getOrCreateServerSecret(db: Db, name: string, generate: () => string): Promise<string> {
  const [existing] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, name));
  if (existing) return existing.value;
  await db.insert(serverSecrets).values({ name, value: generate() }).onConflictDoNothing();
  const [kept] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, name));
  if (!kept) throw new Error(`getOrCreateServerSecret: ${name} was neither found nor created`);
  return kept.value;
}
