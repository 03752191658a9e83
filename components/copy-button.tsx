'use client';

import { Check, Copy, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { copyText } from '@/lib/client/clipboard';
import { cn } from '@/lib/cn';

export interface CopyButtonProps {
  text: string;
  /** What the button copies, e.g. "Copy answer"; it is the button's accessible name. */
  label: string;
  className?: string;
}

type CopyOutcome = 'idle' | 'copied' | 'failed';

const FEEDBACK_MS = 2000;

const OUTCOME_TEXT: Record<Exclude<CopyOutcome, 'idle'>, string> = { copied: 'Copied', failed: 'Copy failed' };

// One colour set per outcome: two text colours on one element would let stylesheet order pick the winner.
const OUTCOME_TONE: Record<CopyOutcome, string> = {
  idle: 'text-fg-muted hover:text-fg',
  copied: 'text-emerald-700 dark:text-emerald-400',
  failed: 'text-danger',
};

export function CopyButton({ text, label, className }: CopyButtonProps) {
  const [outcome, setOutcome] = useState<CopyOutcome>('idle');
  const resetTimer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(resetTimer.current), []);

  async function handleClick() {
    const copied = await copyText(text);
    setOutcome(copied ? 'copied' : 'failed');
    window.clearTimeout(resetTimer.current);
    resetTimer.current = window.setTimeout(() => setOutcome('idle'), FEEDBACK_MS);
  }

  const Icon = outcome === 'copied' ? Check : outcome === 'failed' ? X : Copy;
  const feedback = outcome === 'idle' ? '' : OUTCOME_TEXT[outcome];

  return (
    <>
      <Button
        variant="ghost"
        size="xs"
        aria-label={label}
        title={label}
        onClick={handleClick}
        className={cn('font-normal hover:bg-surface-strong', OUTCOME_TONE[outcome], className)}
      >
        <Icon aria-hidden="true" className="size-3.5" />
        {/* Visible for sighted users; screen readers hear it once through the status region below. */}
        {feedback && <span aria-hidden="true">{feedback}</span>}
      </Button>
      {/* Always mounted so the change is announced; role=status is a polite live region. */}
      <span role="status" className="sr-only">
        {feedback}
      </span>
    </>
  );
}
