import { handleFollowAnswer, handleStopAnswer } from '@/lib/chat/live-answers/handle-stream';
import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

export const GET = apiRoute<{ id: string }>(handleFollowAnswer, UI_ROUTE);
export const DELETE = apiRoute<{ id: string }>(handleStopAnswer, UI_ROUTE);
