'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DraftImage } from '@/lib/client/drafts';
import { prepareImage } from '@/lib/client/image-prep/prepare-image';
import { newId } from '@/lib/client/new-id';
import { type UploadedImage, uploadImage } from '@/lib/client/upload-image';

export interface Attachment {
  localId: string;
  name: string;
  /** An object URL of what was picked, for the thumbnail. */
  previewUrl: string;
  status: 'preparing' | 'uploading' | 'done' | 'error';
  /** Upload progress, 0–1. */
  progress: number;
  error?: string;
  originalBytes: number;
  /** Bytes actually uploaded, after resizing or re-encoding. */
  sentBytes?: number;
  uploaded?: UploadedImage;
}

export interface AttachmentLimits {
  maxImages: number;
  maxImageEdge: number;
  maxUploadBytes: number;
}

/**
 * The images of the message being written: each is prepared (resized, metadata stripped) and uploaded as
 * soon as it is added, so sending only carries references.
 */
export function useAttachments(limits: AttachmentLimits, restored: readonly DraftImage[] = []) {
  // A restored draft's images are uploaded already: they come back done, shown from their stored copy.
  const [attachments, setAttachments] = useState<Attachment[]>(() =>
    restored.map(({ name, ...uploaded }) => ({
      localId: newId(),
      name,
      previewUrl: uploaded.url,
      status: 'done',
      progress: 1,
      originalBytes: uploaded.byteSize,
      sentBytes: uploaded.byteSize,
      uploaded,
    })),
  );
  const aborts = useRef(new Map<string, AbortController>());
  const live = useRef(attachments);
  live.current = attachments;

  const patch = useCallback((localId: string, change: Partial<Attachment>) => {
    setAttachments((current) => current.map((a) => (a.localId === localId ? { ...a, ...change } : a)));
  }, []);

  const process = useCallback(
    async (attachment: Attachment, file: File) => {
      const abort = new AbortController();
      aborts.current.set(attachment.localId, abort);
      try {
        const prepared = await prepareImage(file, {
          maxEdge: limits.maxImageEdge,
          maxUploadBytes: limits.maxUploadBytes,
          signal: abort.signal,
        });
        patch(attachment.localId, { status: 'uploading', sentBytes: prepared.sentBytes });
        const uploaded = await uploadImage(prepared.file, {
          filename: prepared.file.name,
          signal: abort.signal,
          onProgress: (progress) => patch(attachment.localId, { progress }),
        });
        patch(attachment.localId, { status: 'done', progress: 1, uploaded });
      } catch (error) {
        if (abort.signal.aborted) return;
        patch(attachment.localId, {
          status: 'error',
          error: error instanceof Error ? error.message : 'This image could not be added.',
        });
      } finally {
        aborts.current.delete(attachment.localId);
      }
    },
    [limits.maxImageEdge, limits.maxUploadBytes, patch],
  );

  const add = useCallback(
    (files: File[]) => {
      const counted = live.current.filter((a) => a.status !== 'error').length;
      const added: Attachment[] = [];
      files.forEach((file, i) => {
        const overCap = counted + i >= limits.maxImages;
        const attachment: Attachment = {
          localId: newId(),
          name: file.name || 'pasted image',
          previewUrl: URL.createObjectURL(file),
          status: overCap ? 'error' : 'preparing',
          progress: 0,
          originalBytes: file.size,
          error: overCap ? `A message can carry at most ${limits.maxImages} images.` : undefined,
        };
        added.push(attachment);
        if (!overCap) void process(attachment, file);
      });
      setAttachments((current) => [...current, ...added]);
    },
    [limits.maxImages, process],
  );

  const remove = useCallback((localId: string) => {
    aborts.current.get(localId)?.abort();
    setAttachments((current) => {
      const gone = current.find((a) => a.localId === localId);
      if (gone) URL.revokeObjectURL(gone.previewUrl);
      return current.filter((a) => a.localId !== localId);
    });
  }, []);

  /**
   * Empties the tray after sending. The sent images are handed back (their thumbnails kept) so a message the
   * server refused can be put back with `restore`; the thumbnails of earlier sends are no longer needed.
   */
  const sent = useRef<Attachment[]>([]);
  const clear = useCallback((): Attachment[] => {
    for (const attachment of sent.current) URL.revokeObjectURL(attachment.previewUrl);
    const done = live.current.filter((a) => a.status === 'done');
    for (const attachment of live.current) if (attachment.status !== 'done') URL.revokeObjectURL(attachment.previewUrl);
    sent.current = done;
    setAttachments([]);
    return done;
  }, []);

  /** Puts images of a message that was not sent back into the tray, as they were. */
  const restore = useCallback((previous: Attachment[]) => {
    sent.current = sent.current.filter((a) => !previous.includes(a));
    setAttachments((current) => [...previous, ...current]);
  }, []);

  useEffect(
    () => () => {
      for (const abort of aborts.current.values()) abort.abort();
      for (const attachment of [...live.current, ...sent.current]) URL.revokeObjectURL(attachment.previewUrl);
    },
    [],
  );

  const busy = attachments.some((a) => a.status === 'preparing' || a.status === 'uploading');
  const ready = useMemo(() => attachments.filter((a) => a.status === 'done'), [attachments]);
  return { attachments, add, remove, clear, restore, busy, ready };
}
