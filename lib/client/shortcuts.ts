/**
 * The chat's keyboard shortcuts, in one table: the shell handles the global ones, and the shortcut sheet (`?`) lists
 * them all, so what the sheet says is what the keys do. `mod` is ⌘ on Apple platforms and Ctrl elsewhere.
 */
export interface Shortcut {
  keys: readonly string[];
  does: string;
}

export function shortcutList(apple: boolean): Shortcut[] {
  const mod = apple ? '⌘' : 'Ctrl';
  return [
    { keys: ['Enter'], does: 'Send the message' },
    { keys: ['Shift', 'Enter'], does: 'Start a new line' },
    { keys: ['Esc'], does: 'Stop the answer; close a dialog or the image viewer' },
    { keys: [mod, 'Shift', 'O'], does: 'New chat' },
    { keys: [mod, 'K'], does: 'Search chats' },
    { keys: ['←', '→'], does: 'Previous or next image in the image viewer' },
    { keys: ['?'], does: 'Show these shortcuts' },
  ];
}

/** Ctrl/⌘+K, whatever has focus (browsers' own Ctrl+K, search-from-address-bar, gives way inside the page). */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k';
}

export function isNewChatShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'o';
}

/** `?` opens the sheet, except while typing, where it is a question mark. */
export function isShortcutSheetKey(event: KeyboardEvent): boolean {
  if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return true;
  return !(target.isContentEditable || target.closest('input, textarea, select'));
}
