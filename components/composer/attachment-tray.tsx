'use client';

import { AlertCircle, ImageIcon, Loader2, X } from 'lucide-react';
import { useState } from 'react';
import type { Attachment } from '@/components/composer/use-attachments';
import { Button } from '@/components/ui/button';
import { formatBytes } from '@/lib/format';

/** Thumbnails of the images about to be sent, with progress, sizes, per-file errors and a remove button. */
export function AttachmentTray({
  attachments,
  onRemove,
}: {
  attachments: Attachment[];
  onRemove: (localId: string) => void;
}) {
  if (attachments.length === 0) return null;
  return (
    <ul aria-label="Images to send" data-testid="attachment-tray" className="flex flex-wrap gap-3 px-3 pt-3">
      {attachments.map((attachment) => (
        <AttachmentThumb key={attachment.localId} attachment={attachment} onRemove={onRemove} />
      ))}
    </ul>
  );
}

function AttachmentThumb({ attachment, onRemove }: { attachment: Attachment; onRemove: (localId: string) => void }) {
  const [previewFailed, setPreviewFailed] = useState(false);
  const { status, name } = attachment;
  const pending = status === 'preparing' || status === 'uploading';
  const sizes =
    attachment.sentBytes !== undefined && attachment.sentBytes !== attachment.originalBytes
      ? `${formatBytes(attachment.originalBytes)} → ${formatBytes(attachment.sentBytes)}`
      : formatBytes(attachment.originalBytes);
  const statusText =
    status === 'preparing'
      ? 'Preparing…'
      : status === 'uploading'
        ? `Uploading ${Math.round(attachment.progress * 100)}%`
        : status === 'error'
          ? attachment.error
          : sizes;

  return (
    <li
      data-testid="attachment"
      data-status={status}
      className="flex w-20 flex-col gap-1"
      aria-label={`${name}: ${statusText}`}
    >
      <div
        className={`relative size-20 overflow-hidden rounded-lg border bg-surface-muted ${
          status === 'error' ? 'border-danger-line' : 'border-line-strong'
        }`}
      >
        {previewFailed ? (
          // HEIC and friends: most browsers cannot draw them, Gemini can read them.
          <div className="grid size-full place-items-center text-zinc-500">
            <ImageIcon aria-hidden className="size-6" />
          </div>
        ) : (
          // biome-ignore lint/performance/noImgElement: a local object URL; next/image cannot optimise it
          <img
            src={attachment.previewUrl}
            alt=""
            onError={() => setPreviewFailed(true)}
            className={`size-full object-cover ${pending ? 'opacity-60' : ''}`}
          />
        )}
        {pending && (
          <div className="absolute inset-0 grid place-items-center">
            <Loader2 aria-hidden className="size-6 animate-spin text-accent-fg" />
          </div>
        )}
        {status === 'uploading' && (
          <div className="absolute inset-x-1 bottom-1 h-1 overflow-hidden rounded bg-white/70 dark:bg-black/50">
            <div className="h-full bg-iris-600" style={{ width: `${Math.round(attachment.progress * 100)}%` }} />
          </div>
        )}
        {status === 'error' && (
          <div className="absolute inset-0 grid place-items-center bg-danger-soft">
            <AlertCircle aria-hidden className="size-6 text-danger" />
          </div>
        )}
        <Button
          variant="thumb"
          size="icon-xs"
          shape="pill"
          onClick={() => onRemove(attachment.localId)}
          aria-label={`Remove ${name}`}
          className="absolute top-1 right-1"
        >
          <X aria-hidden className="size-3.5" />
        </Button>
      </div>
      <p
        className={`line-clamp-3 text-[11px] leading-tight ${status === 'error' ? 'text-danger' : 'text-fg-muted'}`}
        title={statusText}
      >
        {statusText}
      </p>
    </li>
  );
}
