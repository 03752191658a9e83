'use client';

import { ChevronLeft, ChevronRight, ExternalLink, X } from 'lucide-react';
import { type KeyboardEvent, type MouseEvent, useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { useModalDialog } from '@/lib/client/use-modal-dialog';

export interface LightboxImage {
  url: string;
  alt: string;
}

export interface LightboxProps {
  images: LightboxImage[];
  /** Which image is shown; null means closed. */
  index: number | null;
  onIndexChange: (index: number | null) => void;
}

/**
 * One image shown large over a dimmed page. A native modal <dialog> traps focus, makes the page inert and closes
 * on Esc; closing hands focus back to whatever opened it.
 */
export function Lightbox({ images, index, onIndexChange }: LightboxProps) {
  const current = index === null ? undefined : images[index];
  const isOpen = current !== undefined;
  const count = images.length;

  // The dialog's own close event (Esc, close()) must report the latest props, not the ones of the first render.
  const latest = useRef({ index, onIndexChange });
  latest.current = { index, onIndexChange };

  const { dialogRef, returnFocus } = useModalDialog(isOpen);

  // A modal dialog does not stop the page behind it from scrolling (on phones the scroll chains through).
  useEffect(() => {
    if (!isOpen) return;
    const root = document.documentElement;
    const previous = root.style.overflow;
    root.style.overflow = 'hidden';
    return () => {
      root.style.overflow = previous;
    };
  }, [isOpen]);

  function handleClose() {
    if (latest.current.index !== null) latest.current.onIndexChange(null);
    returnFocus();
  }

  function show(offset: number) {
    if (index === null || count === 0) return;
    onIndexChange((index + offset + count) % count);
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (count < 2) return;
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      show(-1);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      show(1);
    }
  }

  // Clicks on the dimmed area (the dialog itself or the empty layout around the image) close it;
  // clicks on the image, its caption or a control do not.
  function handleClick(event: MouseEvent<HTMLDialogElement>) {
    const target = event.target;
    if (target === event.currentTarget || (target instanceof HTMLElement && target.dataset.lightboxBackdrop === '')) {
      onIndexChange(null);
    }
  }

  const hasSeveral = count > 1;
  const position = index === null ? '' : `Image ${index + 1} of ${count}`;
  // Browsers refuse to open data: URLs as a page, so the link would do nothing.
  const canOpenOriginal = current !== undefined && !current.url.startsWith('data:');

  return (
    <dialog
      ref={dialogRef}
      aria-label={current?.alt || 'Image'}
      onClose={handleClose}
      onKeyDown={handleKeyDown}
      onClick={handleClick}
      className="m-0 size-full max-h-none max-w-none overflow-hidden border-0 bg-transparent p-0 text-white backdrop:bg-black/90 backdrop:backdrop-blur-sm"
    >
      {current && (
        <div data-lightbox-backdrop="" className="flex size-full flex-col">
          <div data-lightbox-backdrop="" className="flex items-center justify-between gap-3 p-3">
            {/* First in tab order, so showModal() focuses it: Esc, Enter or Space closes straight away. */}
            <Button
              variant="overlay"
              size="icon-lg"
              shape="pill"
              aria-label="Close image"
              onClick={() => onIndexChange(null)}
              className="order-last"
            >
              <X aria-hidden="true" className="size-5" />
            </Button>
            <p aria-live="polite" className="min-w-0 truncate text-sm text-white/80">
              {hasSeveral ? position : ''}
            </p>
          </div>

          <div data-lightbox-backdrop="" className="flex min-h-0 flex-1 items-center justify-center px-3">
            {/* biome-ignore lint/performance/noImgElement: chat images are user uploads of unknown size; next/image would need fixed dimensions and would re-encode them */}
            <img
              key={current.url}
              src={current.url}
              alt={current.alt}
              className="max-h-full max-w-full rounded-md object-contain shadow-2xl"
            />
          </div>

          <div
            data-lightbox-backdrop=""
            className="flex items-center justify-center gap-3 p-3 pb-[max(0.75rem,env(safe-area-inset-bottom))]"
          >
            {hasSeveral && (
              <Button
                variant="overlay"
                size="icon-lg"
                shape="pill"
                aria-label="Previous image"
                onClick={() => show(-1)}
              >
                <ChevronLeft aria-hidden="true" className="size-6" />
              </Button>
            )}
            {canOpenOriginal && (
              <a
                href={current.url}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex h-11 items-center gap-2 rounded-full bg-white/15 px-4 text-sm text-white transition-colors hover:bg-white/25 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500"
              >
                <ExternalLink aria-hidden="true" className="size-4" />
                Open original in new tab
              </a>
            )}
            {hasSeveral && (
              <Button variant="overlay" size="icon-lg" shape="pill" aria-label="Next image" onClick={() => show(1)}>
                <ChevronRight aria-hidden="true" className="size-6" />
              </Button>
            )}
          </div>
        </div>
      )}
    </dialog>
  );
}
