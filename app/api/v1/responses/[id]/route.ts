import { apiRoute, methodNotAllowed, preflight } from '@/lib/http/api-route';
import { handleDeleteResponse, handleGetResponse } from '@/lib/openai/responses/handle-stored-responses';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleGetResponse);
export const DELETE = apiRoute<{ id: string }>(handleDeleteResponse);
export const OPTIONS = preflight;
export const POST = methodNotAllowed(['GET', 'DELETE', 'OPTIONS']);
export const PUT = POST;
export const PATCH = POST;
