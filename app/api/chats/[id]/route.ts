import { handleDeleteChat, handleGetChat, handleUpdateChat } from '@/lib/chat/handle-chats';
import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleGetChat, UI_ROUTE);
export const PATCH = apiRoute<{ id: string }>(handleUpdateChat, UI_ROUTE);
export const DELETE = apiRoute<{ id: string }>(handleDeleteChat, UI_ROUTE);
