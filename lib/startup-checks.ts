import { ConfigError, getConfig } from '@/lib/config';

// package.json's engines says the same.
const MIN_NODE_MAJOR = 22;

/**
 * Validates configuration when the server starts, so a bad environment stops it with the variable's
 * name, and announces risky-but-legal settings loudly.
 */
export function runStartupChecks(): void {
  const tooOld = nodeTooOld(process.versions.node);
  if (tooOld) {
    console.error(`\n${tooOld}\n`);
    process.exit(1);
  }
  try {
    const config = getConfig();
    const warn = (text: string) => console.warn(`\n⚠️  Iris: ${text}\n`);
    if (config.auth.apiKeys.length === 0) {
      if (config.nodeEnv === 'production') {
        warn(
          config.auth.geminiKeyPassthrough
            ? 'API_KEYS is not set: only callers who bring their own Gemini key (GEMINI_KEY_PASSTHROUGH) are served.'
            : 'API_KEYS is not set: every API call will be refused until the operator sets it.',
        );
      } else {
        warn('API_KEYS is not set: the API is OPEN to anyone who can reach this server (development only).');
      }
    }
    if (!config.gemini.apiKey && !config.auth.geminiKeyPassthrough) {
      warn('GOOGLE_GENERATIVE_AI_API_KEY is not set: requests cannot reach Gemini.');
    }
    // Open the database and apply migrations now, so the first visitor does not wait for them.
    // Sessions of keys removed from API_KEYS while Iris was down end now, so putting a key back revives none.
    import('@/lib/db/client')
      .then(({ getDb }) => getDb())
      .then(() => import('@/lib/sessions/revoke'))
      .then(({ endSessionsOfRemovedKeys }) => endSessionsOfRemovedKeys(config))
      .catch((error: unknown) =>
        warn(`the database is not ready yet: ${error instanceof Error ? error.message : 'unknown error'}`),
      );
    if (config.images.allowPrivateAddresses) {
      warn('IMAGE_FETCH_ALLOW_PRIVATE=true: image URLs may reach private addresses. Use this only in tests.');
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Why this Node cannot run Iris, or null. The AI SDK 7 line fails obscurely on older Node, so it is said plainly. */
export function nodeTooOld(version: string): string | null {
  if (Number(version.split('.')[0]) >= MIN_NODE_MAJOR) return null;
  return (
    `Iris cannot start: Node ${version} is too old; it needs Node ${MIN_NODE_MAJOR} or newer. ` +
    'Start it with `npm start` or `npm run dev`, which use the Node the project brings, or install a newer Node.'
  );
}
