import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The project's root, for tests that read its own source (architecture and style rules). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/** The TypeScript files under `folders`, as paths from the project's root. */
export function sourceFiles(...folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
      .map((entry) => path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name))),
  );
}

export function readSource(file: string): string {
  return readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
}
