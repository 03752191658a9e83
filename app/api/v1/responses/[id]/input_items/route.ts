import { apiRoute, methodNotAllowed, preflight } from '@/lib/http/api-route';
import { handleListInputItems } from '@/lib/openai/responses/handle-stored-responses';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleListInputItems);
export const OPTIONS = preflight;
export const POST = methodNotAllowed(['GET', 'OPTIONS']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
