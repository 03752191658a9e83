'use client';

import { createContext, useContext } from 'react';

export type FilesHandler = (files: File[]) => void;

export interface Shell {
  /** Opens the chat list (a drawer on narrow screens). */
  openSidebar: () => void;
  /** The composer receives files dropped anywhere on the window, pasted anywhere, or picked. */
  onFiles: (handler: FilesHandler | null) => void;
  openFilePicker: () => void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell must be used inside ChatShell');
  return shell;
}
