import { handleUpload } from '@/lib/chat/handle-files';
import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = apiRoute(handleUpload, UI_ROUTE);
export const GET = methodNotAllowed(['POST']);
