'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
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
    <Button
      variant="ghost"
      className="px-2 font-normal hover:bg-surface-strong"
      onClick={() => {
        const next = NEXT[choice];
        applyThemeChoice(next);
        setChoice(next);
      }}
      aria-label={`${LABEL[choice]} (switch to ${LABEL[NEXT[choice]].toLowerCase()})`}
      title={LABEL[choice]}
    >
      <Icon aria-hidden className="size-4" />
      <span>{LABEL[choice]}</span>
    </Button>
  );
}
