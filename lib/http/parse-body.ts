import type { z } from 'zod';
import { invalidRequest } from '@/lib/errors';
import { formatParam } from '@/lib/openai/parse-request';

/** Validates a JSON value against `schema`, or throws a 400 naming the first offending field (under `prefix`). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, prefix: string[] | string = []): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const base = typeof prefix === 'string' ? prefix : formatParam(prefix);
  const inner = issue ? formatParam(issue.path) : '';
  const param = base && inner ? `${base}${inner.startsWith('[') ? '' : '.'}${inner}` : base || inner;
  throw invalidRequest(
    `${param || 'The request body'} is invalid: ${issue?.message ?? 'unknown problem'}.`,
    param || null,
  );
}
