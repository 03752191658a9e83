import { handleDeleteFile, handleDownload } from '@/lib/chat/handle-files';
import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleDownload, UI_ROUTE);
export const DELETE = apiRoute<{ id: string }>(handleDeleteFile, UI_ROUTE);
