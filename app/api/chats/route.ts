import { handleCreateChat, handleListChats } from '@/lib/chat/handle-chats';
import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(handleListChats, UI_ROUTE);
export const POST = apiRoute(handleCreateChat, UI_ROUTE);
