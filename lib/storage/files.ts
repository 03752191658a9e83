import { createHash } from 'node:crypto';
import { and, eq, inArray, lt, notExists, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { files, messageFiles } from '@/lib/db/schema';
import { ApiError } from '@/lib/errors';
import { toBytes, toFileInfo } from '@/lib/storage/rows';
import type { StoredFile, StoredFileInfo } from '@/lib/storage/types';
import { isId, newId, parseMediaType } from '@/lib/storage/validate';

export type { StoredFile, StoredFileInfo } from '@/lib/storage/types';

const MAX_DIMENSION = 1_000_000;

const infoColumns = {
  id: files.id,
  sha256: files.sha256,
  mediaType: files.mediaType,
  byteSize: files.byteSize,
  width: files.width,
  height: files.height,
  createdAt: files.createdAt,
};

export interface NewFile {
  bytes: Uint8Array;
  /** As sniffed from the bytes by the caller. */
  mediaType: string;
  width: number;
  height: number;
}

/**
 * Stores an image for the owner, once: the same bytes uploaded again by the same owner return the existing
 * file (`created: false`). Different owners never share a row, so deleting one's chat cannot touch another's.
 */
export async function putFile(
  db: Db,
  ownerId: string,
  input: NewFile,
): Promise<{ file: StoredFileInfo; created: boolean }> {
  if (!(input.bytes instanceof Uint8Array) || input.bytes.byteLength === 0) {
    throw new ApiError(400, 'The file is empty.', { code: 'invalid_file', param: 'file' });
  }
  const mediaType = parseMediaType(input.mediaType);
  const width = dimension(input.width, 'width');
  const height = dimension(input.height, 'height');
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  // Twice: the existing row can vanish between the conflict and the read if a chat deletion collects it.
  for (let attempt = 0; attempt < 2; attempt++) {
    const [inserted] = await db
      .insert(files)
      .values({
        ownerId,
        id: newId(),
        sha256,
        mediaType,
        byteSize: input.bytes.byteLength,
        width,
        height,
        bytes: input.bytes,
      })
      .onConflictDoNothing({ target: [files.ownerId, files.sha256] })
      .returning(infoColumns);
    if (inserted) return { file: toFileInfo(inserted), created: true };
    // Uploaded again: its clock restarts, so the clean-up of unused uploads cannot take it before it is sent.
    const [existing] = await db
      .update(files)
      .set({ createdAt: sql`now()` })
      .where(and(eq(files.ownerId, ownerId), eq(files.sha256, sha256)))
      .returning(infoColumns);
    if (existing) return { file: toFileInfo(existing), created: false };
  }
  throw new Error('putFile: the file was deleted while it was being stored twice in a row');
}

function dimension(value: number, param: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
    throw new ApiError(400, `${param} must be a whole number of pixels from 1 to ${MAX_DIMENSION}.`, {
      code: 'invalid_file',
      param,
    });
  }
  return value;
}

/** The owner's file with its bytes; null for another owner's file or an unknown id. */
export async function getFile(db: Db, ownerId: string, fileId: string): Promise<StoredFile | null> {
  if (!isId(fileId)) return null;
  const [row] = await db
    .select({ ...infoColumns, bytes: files.bytes })
    .from(files)
    .where(and(eq(files.ownerId, ownerId), eq(files.id, fileId)));
  return row ? { ...toFileInfo(row), bytes: toBytes(row.bytes) } : null;
}

/** The owner's files among `ids`, with their bytes, keyed by id; ids that are not the owner's are simply absent. */
export async function getFilesByIds(db: Db, ownerId: string, ids: readonly string[]): Promise<Map<string, StoredFile>> {
  const found = new Map<string, StoredFile>();
  const where = ownFiles(ownerId, ids);
  if (!where) return found;
  const rows = await db
    .select({ ...infoColumns, bytes: files.bytes })
    .from(files)
    .where(where);
  for (const row of rows) found.set(row.id, { ...toFileInfo(row), bytes: toBytes(row.bytes) });
  return found;
}

/** Like getFilesByIds without the bytes: for checks and size budgets that must not load images. */
export async function getFileInfosByIds(
  db: Db,
  ownerId: string,
  ids: readonly string[],
): Promise<Map<string, StoredFileInfo>> {
  const found = new Map<string, StoredFileInfo>();
  const where = ownFiles(ownerId, ids);
  if (!where) return found;
  const rows = await db.select(infoColumns).from(files).where(where);
  for (const row of rows) found.set(row.id, toFileInfo(row));
  return found;
}

function ownFiles(ownerId: string, ids: readonly string[]) {
  const wanted = [...new Set(ids)].filter(isId);
  return wanted.length === 0 ? undefined : and(eq(files.ownerId, ownerId), inArray(files.id, wanted));
}

/**
 * Deletes those of `fileIds` that no message of the owner refers to any more: the images a deleted chat,
 * or an edited message, was the last to use. Other files (uploads not yet sent) are never touched.
 */
export async function deleteFilesIfUnreferenced(db: Db, ownerId: string, fileIds: readonly string[]): Promise<number> {
  if (fileIds.length === 0) return 0;
  const deleted = await db
    .delete(files)
    .where(and(eq(files.ownerId, ownerId), inArray(files.id, [...fileIds]), notExists(linksOf(db))))
    .returning({ id: files.id });
  return deleted.length;
}

export type FileDeletion = 'deleted' | 'not_found' | 'in_use';

/** Deletes the owner's file unless a message still shows it; another owner's file is `not_found`. */
export async function deleteFile(db: Db, ownerId: string, fileId: string): Promise<FileDeletion> {
  if (!isId(fileId)) return 'not_found';
  try {
    const deleted = await db
      .delete(files)
      .where(and(eq(files.ownerId, ownerId), eq(files.id, fileId), notExists(linksOf(db))))
      .returning({ id: files.id });
    if (deleted.length > 0) return 'deleted';
  } catch (error) {
    // A message linked it between the check and the delete: the foreign key refused, so the message keeps it.
    if (isForeignKeyViolation(error)) return 'in_use';
    throw error;
  }
  const [exists] = await db
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.ownerId, ownerId), eq(files.id, fileId)));
  return exists ? 'in_use' : 'not_found';
}

const CLEAN_UP_EVERY_MS = 10 * 60_000;
let lastCleanUp = 0;

/**
 * Deletes, across owners, the uploads no message has used for `days` days: images picked and then removed from the
 * composer, or whose message was never sent. Files any message uses are kept, however old.
 */
export async function deleteUnusedUploads(db: Db, days: number): Promise<number> {
  const cutoff = new Date(Date.now() - days * 24 * 60 * 60_000);
  try {
    const deleted = await db
      .delete(files)
      .where(and(lt(files.createdAt, cutoff), notExists(linksOf(db))))
      .returning({ id: files.id });
    return deleted.length;
  } catch (error) {
    // A message took one of them as it went: nothing is lost, and the next clean-up deletes the others.
    if (isForeignKeyViolation(error)) return 0;
    throw error;
  }
}

/** At most every ten minutes per instance, as uploads arrive: enough to keep unused uploads to their limit. */
export async function deleteUnusedUploadsNowAndThen(db: Db, days: number): Promise<void> {
  const now = Date.now();
  if (now - lastCleanUp < CLEAN_UP_EVERY_MS) return;
  lastCleanUp = now;
  await deleteUnusedUploads(db, days);
}

/** For NOT EXISTS: the links of the files row being looked at. */
function linksOf(db: Db) {
  return db
    .select({ one: sql`1` })
    .from(messageFiles)
    .where(and(eq(messageFiles.ownerId, files.ownerId), eq(messageFiles.fileId, files.id)));
}

/** PostgreSQL's foreign_key_violation, as postgres.js and PGlite report it (drizzle wraps it as the cause). */
function isForeignKeyViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current === 'object' && 'code' in current && current.code === '23503') return true;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return false;
}
