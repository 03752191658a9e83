import { handleChatModels } from '@/lib/chat/handle-models';
import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(handleChatModels, UI_ROUTE);
export const POST = methodNotAllowed(['GET']);
