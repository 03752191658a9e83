import { apiRoute, methodNotAllowed, preflight } from '@/lib/http/api-route';
import { handleEmbeddings } from '@/lib/openai/handle-embeddings';

// Node, not Edge: a 2,048-input request is 21 Gemini batches, which can outlast Edge's 25 s to the first byte.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
// Vercel's ceiling for this function; Hobby allows 300 s, Pro up to 800 s.
export const maxDuration = 300;

export const POST = apiRoute(handleEmbeddings);
export const OPTIONS = preflight;
export const GET = methodNotAllowed(['POST', 'OPTIONS']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
