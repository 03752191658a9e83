import type { Config } from '@/lib/config';

/**
 * The origin users reach Iris at, for URLs a page shows (the /connect code samples). PUBLIC_URL when the operator
 * set it; otherwise the request's own Host, which anyone can set to anything: a page that prints it would then
 * tell a user, or a cache shared between users, to send their key to another server.
 */
export function publicOrigin(config: Pick<Config, 'publicUrl'>, headers: { get(name: string): string | null }): string {
  if (config.publicUrl) return config.publicUrl;
  const host = headers.get('host') ?? 'localhost:3000';
  const protocol = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${protocol}://${host}`;
}
