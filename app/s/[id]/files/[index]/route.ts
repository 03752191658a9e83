import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';
import { handleSharedFile } from '@/lib/share/handle-share';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string; index: string }>(handleSharedFile, UI_ROUTE);
