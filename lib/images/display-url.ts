const MAX_URL_CHARS = 100;

/**
 * A caller's URL as it may appear in a message: without user:pass@ (secrets), query and fragment
 * (often signed tokens), and trimmed so one huge URL cannot flood logs.
 */
export function displayUrl(url: string | URL): string {
  if (/^\s*data:/i.test(String(url))) return 'data: URL';
  let shown: string;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    shown = parsed.href;
  } catch {
    shown = String(url)
      .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1')
      .replace(/[?#].*$/s, '');
  }
  return shown.length > MAX_URL_CHARS ? `${shown.slice(0, MAX_URL_CHARS - 1)}…` : shown;
}
