import { ApiRequestError } from '@/lib/client/api-error';

/** What POST /api/files answers. */
export interface UploadedImage {
  id: string;
  url: string;
  mediaType: string;
  byteSize: number;
  width: number;
  height: number;
}

/**
 * Uploads one image to /api/files. XMLHttpRequest rather than fetch: only it reports upload progress.
 * Errors carry the server's message (size, type) for the thumbnail to show.
 */
export function uploadImage(
  file: Blob,
  options: { filename?: string; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<UploadedImage> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/files');
    request.responseType = 'text';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      const response = new Response(request.responseText, {
        status: request.status,
        headers: { 'content-type': 'application/json' },
      });
      if (request.status >= 200 && request.status < 300) {
        response.json().then(resolve, reject);
      } else {
        ApiRequestError.fromResponse(response).then(reject, reject);
      }
    };
    request.onerror = () =>
      reject(new ApiRequestError('The upload failed: Iris could not be reached.', 0, 'network_error'));
    const cancelled = () => new DOMException('The upload was cancelled.', 'AbortError');
    // Removed while it was still being prepared: nothing must reach the server.
    if (options.signal?.aborted) {
      reject(cancelled());
      return;
    }
    const abort = () => request.abort();
    request.onabort = () => reject(cancelled());
    options.signal?.addEventListener('abort', abort, { once: true });
    request.onloadend = () => options.signal?.removeEventListener('abort', abort);
    const form = new FormData();
    form.append('file', file, options.filename ?? 'image');
    request.send(form);
  });
}
