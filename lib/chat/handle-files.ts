import { FILE_URL_PREFIX } from '@/lib/chat/ui-messages';
import { getDb } from '@/lib/db/client';
import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes } from '@/lib/format';
import type { RouteContext } from '@/lib/http/api-route';
import { readCapped } from '@/lib/http/read-capped';
import { bodyTimedOut } from '@/lib/http/read-json-body';
import { requireOwner } from '@/lib/http/require-owner';
import { imageDimensions } from '@/lib/images/dimensions';
import { sniffImage } from '@/lib/images/sniff';
import { deleteFile, deleteUnusedUploadsNowAndThen, getFile, putFile, type StoredFileInfo } from '@/lib/storage/files';

// Room for the multipart envelope around the image itself.
const MULTIPART_OVERHEAD = 64 * 1024;

/** POST /api/files — one image per request, as multipart `file` or as a raw image body. */
export async function handleUpload(request: Request, context: RouteContext): Promise<Response> {
  const { config } = context;
  const ownerId = await requireOwner(request, config, { mutating: true });
  const limit = config.maxUploadBytes;
  const tooLarge = () =>
    new ApiError(413, `The image is larger than the upload limit of ${formatBytes(limit)} (MAX_UPLOAD_BYTES).`, {
      code: 'file_too_large',
      param: 'file',
      // The rest of the body is left unread, so the connection cannot carry another request.
      headers: { connection: 'close' },
    });
  if (!request.body) throw invalidRequest('Send the image as multipart field "file" or as the request body.', 'file');

  const contentType = request.headers.get('content-type') ?? '';
  const isMultipart = contentType.startsWith('multipart/form-data');
  const body = await readCapped(request.body, {
    maxBytes: isMultipart ? limit + MULTIPART_OVERHEAD : limit,
    onLimit: tooLarge,
    idleTimeoutMs: config.bodyIdleTimeoutMs,
    onIdle: () => bodyTimedOut(config.bodyIdleTimeoutMs),
  });

  let bytes: Uint8Array = body;
  if (isMultipart) {
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } })
      .formData()
      .catch(() => {
        throw invalidRequest('The multipart body could not be read.', 'file', 'invalid_multipart');
      });
    const file = form.get('file');
    if (!(file instanceof Blob)) throw invalidRequest('The multipart body has no "file" field.', 'file');
    bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.byteLength > limit) throw tooLarge();
  }
  if (bytes.byteLength === 0) throw invalidRequest('The image is empty.', 'file');

  const sniffed = await sniffImage(bytes);
  if (!sniffed.ok) {
    throw invalidRequest(
      `The file is ${sniffed.detected}; Iris accepts PNG, JPEG, WEBP, HEIC and HEIF images.`,
      'file',
      'unsupported_image_type',
    );
  }
  const size = imageDimensions(bytes);
  if (!size) throw invalidRequest('The image could not be read (its header is damaged).', 'file', 'invalid_image');

  const db = await getDb();
  const { file, created } = await putFile(db, ownerId, { bytes, mediaType: sniffed.mediaType, ...size });
  // In the background: no upload waits for the sweep, and its failure is not this upload's (the next one retries).
  void deleteUnusedUploadsNowAndThen(db, config.unusedUploadDays).catch(() => {});
  return Response.json(describeFile(file), { status: created ? 201 : 200, headers: context.headers });
}

/** GET /api/files/:id — the owner's image; another owner's id is a 404, never a 403. */
export async function handleDownload(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: false });
  const db = await getDb();
  const file = await getFile(db, ownerId, params.id);
  if (!file) throw fileNotFound();

  const etag = `"${file.sha256}"`;
  const headers = {
    ...context.headers,
    etag,
    // Content-addressed and owner-checked: browsers may keep it forever, shared caches never.
    'cache-control': 'private, max-age=31536000, immutable',
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(Buffer.from(file.bytes), {
    headers: {
      ...headers,
      'content-type': file.mediaType,
      'content-length': String(file.byteSize),
      'x-content-type-options': 'nosniff',
    },
  });
}

/** DELETE /api/files/:id — an upload no message uses (one removed from the composer); 409 while a message shows it. */
export async function handleDeleteFile(
  request: Request,
  context: RouteContext,
  params: { id: string },
): Promise<Response> {
  const ownerId = await requireOwner(request, context.config, { mutating: true });
  const outcome = await deleteFile(await getDb(), ownerId, params.id);
  if (outcome === 'not_found') throw fileNotFound();
  if (outcome === 'in_use') {
    throw new ApiError(
      409,
      'A message still shows this image, so it is kept. It goes when the chat is deleted, or when an edit drops it.',
      { code: 'file_in_use', param: 'id' },
    );
  }
  return new Response(null, { status: 204, headers: context.headers });
}

function fileNotFound(): ApiError {
  return new ApiError(404, 'No such file.', { code: 'file_not_found', param: 'id' });
}

function describeFile(file: StoredFileInfo) {
  return {
    id: file.id,
    url: `${FILE_URL_PREFIX}${file.id}`,
    mediaType: file.mediaType,
    byteSize: file.byteSize,
    width: file.width,
    height: file.height,
  };
}
