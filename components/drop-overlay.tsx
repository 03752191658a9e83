import { ImagePlus } from 'lucide-react';

/** The full-window target shown while files are dragged over Iris. */
export function DropOverlay() {
  return (
    <div
      data-testid="drop-overlay"
      aria-hidden
      className="pointer-events-none fixed inset-0 z-50 grid place-items-center bg-accent-soft/85 p-6 backdrop-blur-sm"
    >
      <div className="flex flex-col items-center gap-3 rounded-2xl border-2 border-dashed border-iris-500 px-10 py-12 text-center">
        <ImagePlus className="size-10 text-accent-fg" />
        <p className="text-lg font-medium">Drop images to add them to your message</p>
        <p className="text-sm text-fg-muted">PNG, JPEG, WebP, HEIC · Esc to cancel</p>
      </div>
    </div>
  );
}
