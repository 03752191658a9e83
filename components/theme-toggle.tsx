'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { useEffect, useState } from 'react';
import { applyThemeChoice, readThemeChoice, type ThemeChoice } from '@/lib/client/theme';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON = { system: Monitor, light: Sun, dark: Moon } as const;

/** Cycles system → light → dark. The choice is read after mount: the server cannot know it. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => setChoice(readThemeChoice()), []);
  const Icon = ICON[choice];
  return (
    <button
      type="button"
      onClick={() => {
        const next = NEXT[choice];
        applyThemeChoice(next);
        setChoice(next);
      }}
      aria-label={`${LABEL[choice]} (switch to ${LABEL[NEXT[choice]].toLowerCase()})`}
      title={LABEL[choice]}
      className="inline-flex h-9 items-center gap-2 rounded-lg px-2 text-sm text-fg-muted hover:bg-surface-strong focus-visible:outline-2 focus-visible:outline-iris-500"
    >
      <Icon aria-hidden className="size-4" />
      <span>{LABEL[choice]}</span>
    </button>
  );
}
