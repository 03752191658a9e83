// `npm run db:migrate`: applies the committed migrations (lib/db/migrations) to the configured database,
// DATABASE_URL or else the embedded PGlite under IRIS_DATA_DIR, and says what it did. The server does the same
// on first use; this is for deploy steps that migrate before traffic arrives. Idempotent.
//
// Stop `npm run dev`/`start` first when using the embedded database: PGlite allows one process per folder.
import { existsSync, statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
// The migrations folder and a relative IRIS_DATA_DIR are found from the project root, as the server does.
process.chdir(root);

// Node runs the app's TypeScript itself (type stripping); it only needs to be told where the `@/` alias of
// tsconfig.json points, and that the imports leave out the `.ts`.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('@/')) {
      const base = path.join(root, specifier.slice(2));
      for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base]) {
        if (existsSync(candidate) && statSync(candidate).isFile()) {
          return nextResolve(pathToFileURL(candidate).href, context);
        }
      }
    }
    return nextResolve(specifier, context);
  },
});

// Like `next`, read .env.local and .env; variables already set win.
for (const file of ['.env.local', '.env']) {
  const envPath = path.join(root, file);
  if (existsSync(envPath)) process.loadEnvFile(envPath);
}

const { getConfig } = await import('@/lib/config');
const { databaseOptions, openDatabase } = await import('@/lib/db/client');

function describeTarget(options) {
  if (!options.url) return `PGlite in ${path.resolve(options.dataDir ?? './data', 'pglite')}`;
  const url = new URL(options.url);
  if (url.password) url.password = '***';
  return `PostgreSQL at ${url.href}`;
}

let where = 'the database';
try {
  const options = databaseOptions(getConfig().database);
  where = describeTarget(options);
  const opened = await openDatabase(options);
  await opened.close();
  const { applied } = opened.migrations;
  console.log(
    applied.length > 0
      ? `db:migrate: applied ${applied.join(', ')} to ${where}.`
      : `db:migrate: ${where} is up to date.`,
  );
} catch (error) {
  console.error(`db:migrate: could not migrate ${where}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
