'use client';

import { X } from 'lucide-react';
import { useId } from 'react';
import { IconButton } from '@/components/icon-button';
import { closeDialogOf, Dialog } from '@/components/ui/dialog';
import { shortcutList } from '@/lib/client/shortcuts';
import { useIsApplePlatform } from '@/lib/client/use-apple-platform';

/** The shortcut sheet (`?`): every key the chat answers to. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const apple = useIsApplePlatform();
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} width="md" data-testid="shortcuts-dialog">
      <div className="flex flex-col gap-4 p-5">
        <div className="flex items-center justify-between gap-3">
          <h2 id={titleId} className="text-lg font-semibold">
            Keyboard shortcuts
          </h2>
          <IconButton label="Close" onClick={(event) => closeDialogOf(event.currentTarget)}>
            <X aria-hidden className="size-5" />
          </IconButton>
        </div>
        <dl className="grid grid-cols-[1fr_auto] gap-x-6 gap-y-2 text-sm">
          {shortcutList(apple).map((shortcut) => (
            <div key={shortcut.does} className="contents">
              <dt className="text-fg-soft">{shortcut.does}</dt>
              <dd className="flex justify-end gap-1">
                {shortcut.keys.map((key) => (
                  <kbd
                    key={key}
                    className="min-w-6 rounded border border-line-strong bg-surface-sunken px-1.5 py-0.5 text-center font-sans text-xs"
                  >
                    {key}
                  </kbd>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </Dialog>
  );
}
