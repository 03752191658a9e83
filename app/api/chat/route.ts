import { handleChat } from '@/lib/chat/handle-chat';
import { apiRoute, methodNotAllowed } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

export const POST = apiRoute(handleChat);
export const GET = methodNotAllowed(['POST']);
