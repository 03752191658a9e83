'use client';

import { cva, type VariantProps } from 'class-variance-authority';
import { type ComponentProps, type RefObject, useEffect } from 'react';
import { useModalDialog } from '@/lib/client/use-modal-dialog';
import { cn } from '@/lib/cn';

const dialogVariants = cva(
  'm-auto max-h-[calc(100dvh-1rem)] max-w-[calc(100vw-1rem)] rounded-2xl border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/50',
  {
    variants: {
      width: {
        sm: 'w-[min(28rem,calc(100vw-2rem))]',
        md: 'w-[min(32rem,calc(100vw-2rem))]',
        lg: 'w-[min(48rem,calc(100vw-1rem))]',
      },
    },
    defaultVariants: { width: 'md' },
  },
);

/**
 * The one modal frame: a native <dialog> shown while `open`, which traps focus and makes the page inert; Esc and
 * (unless `dismissOnBackdrop` is false) a click on the backdrop close it, and focus goes back to the opener.
 * `initialFocus` names what should have focus instead of the first focusable element (Cancel, for a deletion).
 */
export function Dialog({
  open,
  onClose,
  initialFocus,
  dismissOnBackdrop = true,
  width,
  className,
  children,
  ...props
}: Omit<ComponentProps<'dialog'>, 'open' | 'onClose' | 'ref'> &
  VariantProps<typeof dialogVariants> & {
    open: boolean;
    onClose: () => void;
    initialFocus?: RefObject<HTMLElement | null>;
    dismissOnBackdrop?: boolean;
  }) {
  const { dialogRef, returnFocus } = useModalDialog(open);

  useEffect(() => {
    if (open) initialFocus?.current?.focus();
  }, [open, initialFocus]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click mirrors Esc, which the dialog handles natively
    <dialog
      ref={dialogRef}
      data-slot="dialog"
      onClose={() => {
        onClose();
        returnFocus();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself; clicks inside land on its children.
        if (dismissOnBackdrop && event.target === event.currentTarget) event.currentTarget.close();
      }}
      className={cn(dialogVariants({ width }), className)}
      {...props}
    >
      {children}
    </dialog>
  );
}

/** Closes the dialog it is in through the dialog itself, so onClose runs once, as for Esc. */
export function closeDialogOf(element: HTMLElement | null): void {
  element?.closest('dialog')?.close();
}
