'use client';

import { useId, useRef, useState } from 'react';

const MAX_TITLE_LENGTH = 200;

/**
 * The title input that replaces a chat's link while it is renamed: Enter or leaving the field saves, Esc cancels.
 * An empty title is refused: Enter says why and keeps the field open; leaving the field then keeps the old title.
 */
export function RenameChatForm(props: { title: string; onSave: (title: string) => void; onCancel: () => void }) {
  const { title, onSave, onCancel } = props;
  const [value, setValue] = useState(title);
  const [problem, setProblem] = useState<string | null>(null);
  // Enter and Esc end the edit, and the blur that follows when the input goes away must not end it a second time.
  const finished = useRef(false);
  const problemId = useId();

  function finish(how: 'save' | 'cancel' | 'blur') {
    if (finished.current) return;
    const next = value.trim();
    if (how === 'save' && next === '') {
      setProblem('A title cannot be empty.');
      return;
    }
    finished.current = true;
    if (how === 'cancel' || next === '' || next === title) onCancel();
    else onSave(next);
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        finish('save');
      }}
    >
      <input
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to rename
        autoFocus
        value={value}
        maxLength={MAX_TITLE_LENGTH}
        aria-label={`New title for "${title}"`}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onFocus={(event) => event.currentTarget.select()}
        onChange={(event) => {
          setValue(event.target.value);
          setProblem(null);
        }}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.preventDefault();
          event.stopPropagation();
          finish('cancel');
        }}
        onBlur={() => finish('blur')}
        className="h-9 w-full rounded-lg border border-iris-500 bg-canvas px-3 text-sm text-fg outline-2 outline-iris-500/40"
      />
      {problem && (
        <p id={problemId} className="px-3 pt-1 text-xs text-danger">
          {problem}
        </p>
      )}
    </form>
  );
}
