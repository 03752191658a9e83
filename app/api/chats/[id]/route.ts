import { handleDeleteChat, handleGetChat, handleUpdateChat } from '@/lib/chat/handle-chats';
import { apiRoute } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleGetChat);
export const PATCH = apiRoute<{ id: string }>(handleUpdateChat);
export const DELETE = apiRoute<{ id: string }>(handleDeleteChat);
