'use client';

import type { FileUIPart } from 'ai';
import { X } from 'lucide-react';
import { type KeyboardEvent, useId, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * Editing a question keeps its images (peers drop them): each can still be removed. The edited message becomes a
 * new version beside the old one, which keeps everything that followed it.
 */
export function MessageEditor({
  text,
  images,
  busy,
  onSave,
  onCancel,
}: {
  text: string;
  images: FileUIPart[];
  /** An answer is on its way: a new version now would branch off under it, so it waits. */
  busy: boolean;
  onSave: (edit: { text: string; images: FileUIPart[] }) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(text);
  // Keyed by place, not URL: the same picture attached twice is one stored file, so two parts share a URL, and
  // removing one copy must leave the other.
  const [kept, setKept] = useState(() => images.map((image, place) => ({ place, image })));
  const keptImages = kept.map((k) => k.image);
  const canSave = (draft.trim().length > 0 || kept.length > 0) && !busy;
  const inputId = useId();

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing && canSave) {
      event.preventDefault();
      onSave({ text: draft.trim(), images: keptImages });
    }
  }

  return (
    <form
      data-testid="message-editor"
      aria-label="Edit your message"
      className="ml-auto flex w-full max-w-[85%] flex-col gap-2 rounded-2xl border border-line-strong bg-surface p-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (canSave) onSave({ text: draft.trim(), images: keptImages });
      }}
    >
      {kept.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label="Images of this message">
          {kept.map(({ place, image }, index) => (
            <li key={place} className="relative">
              {/* biome-ignore lint/performance/noImgElement: private, owner-checked image */}
              <img
                src={image.url}
                alt={`Attachment ${index + 1}`}
                className="size-16 rounded-lg border border-line-strong object-cover"
              />
              <Button
                variant="thumb"
                size="icon-xs"
                shape="pill"
                onClick={() => setKept((current) => current.filter((k) => k.place !== place))}
                aria-label={`Remove image ${index + 1}`}
                className="absolute top-1 right-1"
              >
                <X aria-hidden className="size-3.5" />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={inputId} className="sr-only">
        Your message
      </label>
      <textarea
        id={inputId}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
        rows={Math.min(8, Math.max(2, draft.split('\n').length))}
        // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this text
        autoFocus
        className="w-full resize-y bg-transparent outline-none"
      />
      <div className="flex justify-end gap-2">
        <Button variant="ghost" size="md" className="px-3" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" className="px-3" disabled={!canSave}>
          Save &amp; send
        </Button>
      </div>
    </form>
  );
}
