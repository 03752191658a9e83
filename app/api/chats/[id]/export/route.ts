import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';
import { handleExport } from '@/lib/transfer/handle-transfer';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(handleExport, UI_ROUTE);
