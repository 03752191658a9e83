import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '@/lib/error-codes';
import { ApiError } from '@/lib/errors';

/** The README's error table is the catalog's, row for row: a code added, changed or dropped shows here. */
function catalogTable(): string {
  const rows = (Object.entries(ERROR_CODES) as [ErrorCode, { status: number; when: string }][])
    .sort(([a, x], [b, y]) => x.status - y.status || a.localeCompare(b))
    .map(([code, { status, when }]) => `| ${status} | \`${code}\` | ${when} |`);
  return ['| Status | `code` | When |', '|---|---|---|', ...rows].join('\n');
}

describe('the error catalog', () => {
  it('is the README’s error table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = catalogTable();
    expect(readme.includes(table), `README.md should contain this table:\n\n${table}\n`).toBe(true);
  });

  it('fixes the status of each code', () => {
    expect(() => new ApiError(400, 'x', { code: 'model_not_found' })).toThrow(/model_not_found comes with status 404/);
    expect(new ApiError(404, 'x', { code: 'model_not_found' }).toJSON().error.code).toBe('model_not_found');
  });
});
