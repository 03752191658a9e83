import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';
import { handleHealth } from '@/lib/http/handle-health';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(handleHealth, UI_ROUTE);
export const POST = methodNotAllowed(['GET']);
