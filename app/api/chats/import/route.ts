import { apiRoute, UI_ROUTE } from '@/lib/http/api-route';
import { handleImport } from '@/lib/transfer/handle-transfer';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 60;

export const POST = apiRoute(handleImport, UI_ROUTE);
