const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random id for chats and messages. crypto.randomUUID exists only on secure origins, and self-hosted Iris is
 * often reached over plain http on a LAN; getRandomValues works everywhere.
 */
export function newId(length = 21): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = '';
  // 256 % 62 leaves a slight bias towards the first letters, which does not matter for ids of this length.
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
