'use client';

import { useCallback, useEffect, useRef } from 'react';

/**
 * Keeps a native <dialog> shown as a modal while `open` is true, and gives focus back to whatever had it when the
 * dialog opened. Browsers restore focus themselves, but not when the opener was re-rendered or briefly unfocusable.
 * Call `returnFocus` from the dialog's close event.
 */
export function useModalDialog(open: boolean) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const returnFocus = useCallback(() => {
    const target = opener.current;
    opener.current = null;
    if (target?.isConnected && document.activeElement !== target) target.focus({ preventScroll: true });
  }, []);

  return { dialogRef, returnFocus };
}
