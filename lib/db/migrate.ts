import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * Applies the committed drizzle-kit migrations, keeping drizzle's own bookkeeping table
 * (`drizzle.__drizzle_migrations`) so drizzle-kit agrees on what has run.
 *
 * Unlike drizzle's `migrate()`, everything happens in ONE transaction that first takes a transaction-level
 * advisory lock: two server instances starting together then migrate one after the other, and a transaction
 * lock (unlike a session lock) also holds through transaction-mode poolers such as PgBouncer, Neon and Supabase.
 */

/** Any fixed number works; it only has to be the same in every Iris instance. */
const MIGRATION_LOCK_KEY = 7_215_490_318;

export interface MigrationResult {
  /** Tags of the migrations applied now, e.g. `0001_init`; empty when the database was up to date. */
  applied: string[];
}

export async function applyMigrations(
  db: PgDatabase<PgQueryResultHKT, Record<string, unknown>>,
  migrationsFolder: string,
): Promise<MigrationResult> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const tags = migrationTags(migrationsFolder);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(sql`
      create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)
    `);
    const recorded = await tx.execute(sql`select created_at from drizzle.__drizzle_migrations`);
    // By membership rather than drizzle's "newer than the last one": a migration generated on a machine whose
    // clock was behind would otherwise be skipped forever.
    const done = new Set(rowsOf<{ created_at: string | number }>(recorded).map((row) => Number(row.created_at)));
    const applied: string[] = [];
    for (const [index, migration] of migrations.entries()) {
      if (done.has(migration.folderMillis)) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      applied.push(tags[index] ?? String(migration.folderMillis));
    }
    return { applied };
  });
}

/** postgres.js returns the rows as the result itself, PGlite as `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

function migrationTags(migrationsFolder: string): string[] {
  // readMigrationFiles keeps the journal's order but drops the tags, which are only for reporting.
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((entry) => entry.tag);
}
