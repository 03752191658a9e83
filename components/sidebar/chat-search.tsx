'use client';

import { LoaderCircle, Search } from 'lucide-react';

/** The search box above the chat list. Esc empties it (and only then stops there, so an empty box lets Esc close a drawer). */
export function ChatSearch(props: { value: string; onChange: (value: string) => void; busy: boolean }) {
  const { value, onChange, busy } = props;
  const Icon = busy ? LoaderCircle : Search;
  return (
    <div className="relative">
      <Icon
        aria-hidden
        className={`pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-faint ${busy ? 'motion-safe:animate-spin' : ''}`}
      />
      <input
        type="search"
        aria-label="Search chats"
        aria-keyshortcuts="Control+K Meta+K"
        placeholder="Search chats"
        data-testid="chat-search"
        autoComplete="off"
        enterKeyHint="search"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape' || value === '') return;
          event.preventDefault();
          event.stopPropagation();
          onChange('');
        }}
        className="h-9 w-full rounded-lg border border-line-strong bg-canvas pr-2 pl-8 text-sm text-fg placeholder:text-fg-faint focus-visible:border-iris-500 focus-visible:outline-2 focus-visible:outline-iris-500"
      />
    </div>
  );
}
