'use client';

import { Ellipsis, FileDown, FileJson, Link2, Pencil, Trash2 } from 'lucide-react';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';

/** Room the menu needs below its button; with less left in the scrolling list it opens upwards instead. */
const MENU_HEIGHT_PX = 196;

/**
 * The "…" button of a chat and its Rename / Share / Export / Delete menu. It is not a Tab stop of its own (the chat's
 * link is, and → or the menu key reaches it from there); it shows itself on focus, on hover, on touch screens (no
 * hover there) and wherever `revealed` says so (the open chat).
 */
export function ChatItemMenu(props: {
  title: string;
  revealed: boolean;
  onRename: () => void;
  /** Opens the share dialog (with focus back on the menu button, as for Delete). */
  onShare: () => void;
  onExport: (format: 'markdown' | 'json') => void;
  /** Runs with focus back on the menu button, so a dialog opened here returns focus there when it closes. */
  onDelete: () => void;
}) {
  const { title, revealed, onRename, onShare, onExport, onDelete } = props;
  const [open, setOpen] = useState(false);
  const [upwards, setUpwards] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const triggerId = useId();
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    menuItems(menuRef.current)[0]?.focus();
    const closeOnOutsidePointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !triggerRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutsidePointer);
    return () => document.removeEventListener('pointerdown', closeOnOutsidePointer);
  }, [open]);

  function openMenu() {
    const trigger = triggerRef.current;
    const scroller = trigger?.closest('nav');
    if (trigger && scroller) {
      const spaceBelow = scroller.getBoundingClientRect().bottom - trigger.getBoundingClientRect().bottom;
      setUpwards(spaceBelow < MENU_HEIGHT_PX);
    }
    setOpen(true);
  }

  function choose(action: () => void) {
    setOpen(false);
    triggerRef.current?.focus();
    action();
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = menuItems(menuRef.current);
    const current = items.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => {
      event.preventDefault();
      items[(index + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(current + 1);
    else if (event.key === 'ArrowUp') move(current - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      triggerRef.current?.focus();
    } else if (event.key === 'Tab') setOpen(false);
  }

  const visible = revealed || open;
  return (
    // Raised while open: the rows below are positioned too and would otherwise paint over the menu.
    <div className={`absolute top-1/2 right-1 -translate-y-1/2 ${open ? 'z-20' : ''}`}>
      <Button
        ref={triggerRef}
        id={triggerId}
        variant="bare"
        size="none"
        aria-label={`Options for "${title}"`}
        aria-haspopup="menu"
        tabIndex={-1}
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(false) : openMenu())}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            openMenu();
          } else if (event.key === 'ArrowLeft' && !open) {
            event.preventDefault();
            event.currentTarget.closest('.group')?.querySelector<HTMLElement>('a[href]')?.focus();
          }
        }}
        className={cn(
          'size-7 rounded-md text-fg-muted hover:bg-surface-strong hover:text-fg focus-visible:opacity-100 pointer-coarse:opacity-100 group-hover:opacity-100 group-focus-within:opacity-100 [@media(hover:none)]:opacity-100',
          visible ? 'opacity-100' : 'opacity-0',
        )}
      >
        <Ellipsis aria-hidden className="size-4" />
      </Button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={triggerId}
          onKeyDown={onMenuKeyDown}
          className={`absolute right-0 w-52 rounded-lg border border-line-strong bg-surface p-1 shadow-lg ${upwards ? 'bottom-full mb-1' : 'top-full mt-1'}`}
        >
          <MenuItem icon={Pencil} label="Rename" onSelect={() => choose(onRename)} />
          <MenuItem icon={Link2} label="Share…" onSelect={() => choose(onShare)} />
          <MenuItem icon={FileDown} label="Export as Markdown" onSelect={() => choose(() => onExport('markdown'))} />
          <MenuItem icon={FileJson} label="Export as JSON" onSelect={() => choose(() => onExport('json'))} />
          <MenuItem icon={Trash2} label="Delete" danger onSelect={() => choose(onDelete)} />
        </div>
      )}
    </div>
  );
}

function MenuItem(props: { icon: typeof Pencil; label: string; danger?: boolean; onSelect: () => void }) {
  const { icon: Icon, label, danger, onSelect } = props;
  return (
    <Button
      variant="bare"
      size="none"
      role="menuitem"
      tabIndex={-1}
      onClick={onSelect}
      className={cn(
        'w-full justify-start rounded-md px-2.5 py-2 text-left font-normal hover:bg-surface-muted focus-visible:bg-surface-muted focus-visible:outline-offset-0',
        danger ? 'text-danger' : 'text-fg-soft',
      )}
    >
      <Icon aria-hidden className="size-4" />
      {label}
    </Button>
  );
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return menu ? [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')] : [];
}
