import path from 'node:path';
import { defineConfig } from 'drizzle-kit';

/**
 * `drizzle-kit generate` needs only the schema; the credentials serve `drizzle-kit studio`. Migrations are
 * applied by the app itself at start-up and by `npm run db:migrate`, not by `drizzle-kit migrate`: the embedded
 * database needs the pg_trgm extension loaded, which drizzle-kit's PGlite driver does not do.
 */
const url = process.env.DATABASE_URL?.trim();
const dataDir = process.env.IRIS_DATA_DIR?.trim() || './data';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema.ts',
  out: './lib/db/migrations',
  strict: true,
  verbose: true,
  ...(url ? { dbCredentials: { url } } : { driver: 'pglite', dbCredentials: { url: path.join(dataDir, 'pglite') } }),
});
