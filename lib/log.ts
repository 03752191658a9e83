/**
 * Access and error logging. Deliberately narrow: method, path, status, timing and error codes.
 * Prompts, images, keys and upstream bodies are never passed in, so they cannot leak out.
 */
export interface AccessLogEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  code?: string | null;
  model?: string;
  /** `<asked> -> <served>` when Iris served another model than the one asked for. */
  substituted?: string;
}

export function logAccess(entry: AccessLogEntry, options: { quiet?: boolean } = {}): void {
  if (options.quiet) return;
  console.log(JSON.stringify({ level: 'info', event: 'request', ...entry, ms: Math.round(entry.ms) }));
}

/** For failures Iris did not foresee: the error's class and where it was thrown, not its message (which may quote input). */
export function logUnexpected(requestId: string, error: unknown): void {
  const name = error instanceof Error ? error.name : typeof error;
  const frames =
    error instanceof Error
      ? error.stack
          ?.split('\n')
          .slice(1, 6)
          .map((l) => l.trim())
      : undefined;
  console.error(JSON.stringify({ level: 'error', event: 'unexpected_error', requestId, name, frames }));
}
