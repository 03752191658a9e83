'use client';

import { Check, Copy, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { copyText } from '@/lib/client/clipboard';

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
      <button
        type="button"
        aria-label={label}
        title={label}
        onClick={handleClick}
        className={[
          'inline-flex h-7 min-w-7 shrink-0 cursor-pointer items-center justify-center gap-1 rounded-md px-1.5 text-xs',
          'transition-colors hover:bg-surface-strong',
          'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-iris-500',
          OUTCOME_TONE[outcome],
          className ?? '',
        ].join(' ')}
      >
        <Icon aria-hidden="true" className="size-3.5" />
        {/* Visible for sighted users; screen readers hear it once through the status region below. */}
        {feedback && <span aria-hidden="true">{feedback}</span>}
      </button>
      {/* Always mounted so the change is announced; role=status is a polite live region. */}
      <span role="status" className="sr-only">
        {feedback}
      </span>
    </>
  );
}
