import { handleChooseVersion } from '@/lib/chat/handle-versions';
import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ id: string }>(handleChooseVersion, UI_ROUTE);
