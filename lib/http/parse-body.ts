import type { z } from 'zod';
import { invalidRequest } from '@/lib/errors';
import { formatParam } from '@/lib/openai/parse-request';

/** Validates a JSON body against `schema`, or throws a 400 naming the first offending field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue ? formatParam(issue.path) : '';
  throw invalidRequest(
    `${param || 'The request body'} is invalid: ${issue?.message ?? 'unknown problem'}.`,
    param || null,
  );
}
