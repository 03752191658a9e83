'use client';

import { ChevronLeft, ChevronRight } from 'lucide-react';
import { IconButton } from '@/components/icon-button';

/**
 * "‹ 2/3 ›" under a message that has other versions (edits of a question, regenerations of an answer). Moving
 * shows that version and the conversation that followed it; the choice is saved with the chat.
 */
export function VersionSwitch({
  messageId,
  versions,
  disabled,
  onSwitch,
}: {
  messageId: string;
  versions: readonly string[] | undefined;
  disabled: boolean;
  onSwitch: (messageId: string) => void;
}) {
  if (!versions || versions.length < 2) return null;
  const index = versions.indexOf(messageId);
  if (index < 0) return null;
  const previous = versions[index - 1];
  const next = versions[index + 1];
  return (
    <fieldset
      aria-label={`Version ${index + 1} of ${versions.length}`}
      data-testid="version-switch"
      className="m-0 flex items-center border-0 p-0 text-xs text-fg-muted tabular-nums"
    >
      <IconButton
        label="Previous version"
        size="sm"
        disabled={disabled || !previous}
        onClick={() => previous && onSwitch(previous)}
      >
        <ChevronLeft aria-hidden className="size-4" />
      </IconButton>
      <span data-testid="version-label" className="min-w-8 text-center">
        {index + 1}/{versions.length}
      </span>
      <IconButton label="Next version" size="sm" disabled={disabled || !next} onClick={() => next && onSwitch(next)}>
        <ChevronRight aria-hidden className="size-4" />
      </IconButton>
    </fieldset>
  );
}
