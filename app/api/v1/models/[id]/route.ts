import { apiRoute, methodNotAllowed, preflight } from '@/lib/http/api-route';
import { handleRetrieveModel } from '@/lib/openai/handle-models';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleRetrieveModel);
export const OPTIONS = preflight;
export const POST = methodNotAllowed(['GET', 'OPTIONS']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
