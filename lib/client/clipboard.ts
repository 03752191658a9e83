/**
 * Copies text to the clipboard and reports whether it worked; it never throws.
 *
 * The async Clipboard API only exists on secure origins (https, localhost). Self-hosted installs are often
 * reached over plain http on a LAN, so when the API is missing or refuses, fall back to the old
 * select-a-textarea + execCommand('copy') route, which browsers still honour inside a click handler.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator !== 'undefined' && typeof navigator.clipboard?.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied permission or an unfocused document: the legacy route below may still succeed.
  }
  try {
    return copyWithHiddenTextarea(text);
  } catch {
    return false;
  }
}

function copyWithHiddenTextarea(text: string): boolean {
  if (typeof document === 'undefined' || !document.body) return false;
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const selection = document.getSelection();
  const previousRanges = selection
    ? Array.from({ length: selection.rangeCount }, (_, i) => selection.getRangeAt(i))
    : [];

  const textarea = document.createElement('textarea');
  textarea.value = text;
  // readonly keeps phones from opening the keyboard; fixed + off-screen keeps the page from scrolling to it.
  textarea.setAttribute('readonly', '');
  textarea.setAttribute('aria-hidden', 'true');
  textarea.tabIndex = -1;
  Object.assign(textarea.style, { position: 'fixed', top: '0', left: '-9999px', opacity: '0' });
  // Everything outside an open modal <dialog> is inert and cannot be selected, so copy from inside it.
  const host = previousFocus?.closest('dialog[open]') ?? document.body;
  host.append(textarea);

  let copied = false;
  try {
    textarea.select();
    textarea.setSelectionRange(0, text.length);
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  } finally {
    textarea.remove();
    if (selection) {
      selection.removeAllRanges();
      for (const range of previousRanges) selection.addRange(range);
    }
    previousFocus?.focus({ preventScroll: true });
  }
  return copied;
}
