import { sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import type { RouteContext } from '@/lib/http/api-route';

/**
 * GET /api/health — for load balancers, orchestrators and test harnesses: 200 once this instance can serve the chat
 * (its database is open, migrated and answering), else the catalog's 503 `database_unavailable` with its message.
 * It says nothing about the caller's keys or data, so it needs none.
 */
export async function handleHealth(_request: Request, context: RouteContext): Promise<Response> {
  const db = await getDb();
  await db.execute(sql`select 1`);
  return Response.json(
    { status: 'ok', database: 'ok' },
    { headers: { ...context.headers, 'cache-control': 'no-store' } },
  );
}
