import { handleChat } from '@/lib/chat/handle-chat';
import { apiRoute, methodNotAllowed, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

export const POST = apiRoute(handleChat, UI_ROUTE);
export const GET = methodNotAllowed(['POST']);
