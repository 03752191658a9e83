import { apiRoute, methodNotAllowed, preflight } from '@/lib/http/api-route';
import { handleCreateResponse } from '@/lib/openai/responses/handle-create-response';

// Node, not Edge: Edge must send its first byte within 25 s, which slow non-streaming answers miss.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
// Vercel's ceiling for this function; Hobby allows 300 s, Pro up to 800 s.
export const maxDuration = 300;

export const POST = apiRoute(handleCreateResponse);
export const OPTIONS = preflight;
export const GET = methodNotAllowed(['POST', 'OPTIONS']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
