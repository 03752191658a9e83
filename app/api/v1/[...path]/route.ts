import { ApiError } from '@/lib/errors';
import { apiRoute, preflight } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Any other /v1 path answers in OpenAI's envelope, so clients show a readable error instead of an HTML page. */
const unknownPath = apiRoute(async (request) => {
  const path = new URL(request.url).pathname;
  throw new ApiError(
    404,
    `Invalid URL (${request.method} ${path}). Iris serves POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models and GET /v1/models/{id}.`,
    { type: 'invalid_request_error', code: 'unknown_url' },
  );
});

export const GET = unknownPath;
export const POST = unknownPath;
export const PUT = unknownPath;
export const PATCH = unknownPath;
export const DELETE = unknownPath;
export const OPTIONS = preflight;
