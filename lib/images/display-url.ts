const MAX_URL_CHARS = 100;

/**
 * A caller's URL as it may appear in a message: without user:pass@ (secrets), query and fragment
 * (often signed tokens), and trimmed so one huge URL cannot flood logs.
 */
export function displayUrl(url: string | URL): string {
  if (/^\s*data:/i.test(String(url).slice(0, 64))) return 'data: URL';
  let shown: string;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    shown = parsed.href;
  } catch {
    // Cut first: only what is shown is cleaned, so no pattern runs over a huge string.
    shown = String(url)
      .slice(0, MAX_URL_CHARS * 4)
      .replace(/^([a-z][a-z0-9+.-]{0,31}:\/\/)[^/@?#]*@/i, '$1')
      .replace(/[?#].*$/s, '');
  }
  return shown.length > MAX_URL_CHARS ? `${shown.slice(0, MAX_URL_CHARS - 1)}…` : shown;
}
