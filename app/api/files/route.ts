import { handleUpload } from '@/lib/chat/handle-files';
import { apiRoute, methodNotAllowed } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = apiRoute(handleUpload);
export const GET = methodNotAllowed(['POST']);
