'use client';

import type { FileUIPart } from 'ai';
import { Button } from '@/components/ui/button';

/** A message's images as buttons that open the lightbox; one image shows larger than several. */
export function MessageImages({
  images,
  onOpen,
  className = '',
}: {
  images: FileUIPart[];
  onOpen: (index: number) => void;
  className?: string;
}) {
  if (images.length === 0) return null;
  const single = images.length === 1;
  return (
    <ul className={`flex flex-wrap justify-end gap-2 ${className}`} aria-label={`${images.length} attached images`}>
      {images.map((image, index) => (
        // The same picture attached twice is one stored file: two parts share a URL, so the place tells them apart.
        // biome-ignore lint/suspicious/noArrayIndexKey: a sent message's images never move
        <li key={`${index}:${image.url}`}>
          <Button
            variant="bare"
            size="none"
            onClick={() => onOpen(index)}
            aria-label={`Open image ${index + 1} of ${images.length}`}
            className="block overflow-hidden rounded-xl border border-line-strong bg-surface-muted"
          >
            {/* biome-ignore lint/performance/noImgElement: private, owner-checked images; next/image would proxy them */}
            <img
              src={image.url}
              alt={image.filename ? `Attached image ${image.filename}` : `Attached image ${index + 1}`}
              loading="lazy"
              decoding="async"
              // A loading image keeps a visible box rather than collapsing to nothing.
              className={
                single
                  ? 'max-h-72 min-h-20 max-w-[min(20rem,70vw)] min-w-20 object-contain'
                  : 'size-28 object-cover sm:size-32'
              }
            />
          </Button>
        </li>
      ))}
    </ul>
  );
}
