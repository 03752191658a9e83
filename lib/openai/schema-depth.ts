import { invalidRequest } from '@/lib/errors';

// Real schemas (zod, pydantic) nest a dozen levels at most; the rewriters recurse, and a few thousand levels of
// nesting (a hundred kilobytes of JSON) would overflow the stack and surface as a 500.
export const MAX_SCHEMA_DEPTH = 64;

/** Refuses a JSON Schema nested deeper than MAX_SCHEMA_DEPTH, with a 400 naming `param`. Iterative on purpose. */
export function assertSchemaDepth(schema: unknown, param: string): void {
  const stack: [unknown, number][] = [[schema, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_SCHEMA_DEPTH) {
      throw invalidRequest(`${param} is nested more than ${MAX_SCHEMA_DEPTH} levels deep.`, param, 'schema_too_deep');
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}
