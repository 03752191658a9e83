import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';
import { handleCreateShare, handleDeleteShare, handleGetShare } from '@/lib/share/handle-share';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleGetShare, UI_ROUTE);
export const POST = apiRoute<{ id: string }>(handleCreateShare, UI_ROUTE);
export const DELETE = apiRoute<{ id: string }>(handleDeleteShare, UI_ROUTE);
