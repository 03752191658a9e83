import { handleCreateChat, handleListChats } from '@/lib/chat/handle-chats';
import { apiRoute } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(handleListChats);
export const POST = apiRoute(handleCreateChat);
