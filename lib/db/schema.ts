import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ChatSettings, MessageRole, MessageStatus, ShareSnapshot, StoredPart } from '@/lib/storage/types';

/**
 * One schema for PGlite and PostgreSQL. Every table is keyed by (owner_id, id): chat and message ids are
 * chosen by the browser, so a global key would let one owner collide with, or probe for, another's ids.
 * The composite foreign keys also make it impossible for a message or file link to cross owners.
 *
 * Change it, then `npm exec -- drizzle-kit generate` and commit the new migration.
 */

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * Millisecond precision, the same as a JS Date: list cursors carry `updated_at` through a Date, and a
 * microsecond the Date cannot hold would make a row compare unequal to its own cursor.
 */
const timestamptz = (name: string) =>
  timestamp(name, { withTimezone: true, precision: 3, mode: 'date' }).notNull().defaultNow();

export const chats = pgTable(
  'chats',
  {
    ownerId: text('owner_id').notNull(),
    id: text('id').notNull(),
    title: text('title').notNull(),
    model: text('model').notNull(),
    settings: jsonb('settings').$type<ChatSettings>().notNull().default({}),
    createdAt: timestamptz('created_at'),
    updatedAt: timestamptz('updated_at'),
  },
  (t) => [
    primaryKey({ name: 'chats_pkey', columns: [t.ownerId, t.id] }),
    // NULLS FIRST is what a plain ORDER BY ... DESC means; the index must match it to serve the sort.
    index('chats_owner_updated_idx').on(t.ownerId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('chats_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
  ],
);

export const messages = pgTable(
  'messages',
  {
    ownerId: text('owner_id').notNull(),
    id: text('id').notNull(),
    chatId: text('chat_id').notNull(),
    /** The order the chat's messages were written in (siblings are numbered by it: "2/3"). */
    position: integer('position').notNull(),
    /**
     * The message this one answers or follows; null for a first message. Edits and regenerations add siblings
     * (same parent) instead of overwriting, so a chat is a tree.
     */
    parentId: text('parent_id'),
    /**
     * When this message was last chosen among its siblings, on the chat's own counter: the current branch takes
     * the most recently chosen child at every step, so switching versions is one write and survives a reload.
     */
    chosen: integer('chosen').notNull().default(0),
    role: text('role').$type<MessageRole>().notNull(),
    parts: jsonb('parts').$type<StoredPart[]>().notNull(),
    text: text('text').notNull().default(''),
    status: text('status').$type<MessageStatus>().notNull().default('complete'),
    finishReason: text('finish_reason'),
    usage: jsonb('usage').$type<Record<string, number>>(),
    error: text('error'),
    /** Said once to the reader: the chat's model was retired and this answer came from its replacement. */
    notice: text('notice'),
    /** The Gemini model that wrote an answer (the chat's model can change between answers). */
    model: text('model'),
    /** Gemini's word on why it stopped, where it gives one: the safety category that blocked the answer. */
    finishDetail: text('finish_detail'),
    createdAt: timestamptz('created_at'),
  },
  (t) => [
    primaryKey({ name: 'messages_pkey', columns: [t.ownerId, t.id] }),
    foreignKey({
      name: 'messages_chat_fk',
      columns: [t.ownerId, t.chatId],
      foreignColumns: [chats.ownerId, chats.id],
    }).onDelete('cascade'),
    uniqueIndex('messages_chat_position_idx').on(t.ownerId, t.chatId, t.position),
    // The target of the parent key below: a parent must be in the same chat as its child.
    uniqueIndex('messages_chat_id_idx').on(t.ownerId, t.chatId, t.id),
    foreignKey({
      name: 'messages_parent_fk',
      columns: [t.ownerId, t.chatId, t.parentId],
      foreignColumns: [t.ownerId, t.chatId, t.id],
    }).onDelete('cascade'),
    index('messages_text_trgm_idx').using('gin', t.text.op('gin_trgm_ops')),
    // Start-up looks for answers left streaming by a stopped server; few rows ever match.
    index('messages_streaming_idx').on(t.createdAt).where(sql`${t.status} = 'streaming'`),
    check('messages_role_check', sql`${t.role} in ('user', 'assistant')`),
    check('messages_status_check', sql`${t.status} in ('streaming', 'complete', 'stopped', 'interrupted', 'error')`),
  ],
);

export const files = pgTable(
  'files',
  {
    ownerId: text('owner_id').notNull(),
    id: text('id').notNull(),
    sha256: text('sha256').notNull(),
    mediaType: text('media_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: bytea('bytes').notNull(),
    createdAt: timestamptz('created_at'),
  },
  (t) => [
    primaryKey({ name: 'files_pkey', columns: [t.ownerId, t.id] }),
    uniqueIndex('files_owner_sha256_idx').on(t.ownerId, t.sha256),
  ],
);

/** Which messages refer to which files, so deleting a chat can find the files nothing else uses. */
export const messageFiles = pgTable(
  'message_files',
  {
    ownerId: text('owner_id').notNull(),
    messageId: text('message_id').notNull(),
    fileId: text('file_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'message_files_pkey', columns: [t.ownerId, t.messageId, t.fileId] }),
    foreignKey({
      name: 'message_files_message_fk',
      columns: [t.ownerId, t.messageId],
      foreignColumns: [messages.ownerId, messages.id],
    }).onDelete('cascade'),
    // No cascade: a file still referred to must not disappear under a message.
    foreignKey({
      name: 'message_files_file_fk',
      columns: [t.ownerId, t.fileId],
      foreignColumns: [files.ownerId, files.id],
    }),
    index('message_files_file_idx').on(t.ownerId, t.fileId),
  ],
);

/**
 * Stored Responses (`store` defaults to true, as at OpenAI). `history` is every item before this turn's input
 * (the previous responses' inputs and outputs, flattened), so continuing with `previous_response_id` reads one row.
 */
export const responses = pgTable(
  'responses',
  {
    ownerId: text('owner_id').notNull(),
    id: text('id').notNull(),
    /** The Response object as it was answered. */
    response: jsonb('response').$type<Record<string, unknown>>().notNull(),
    /** This turn's input items. */
    input: jsonb('input').$type<unknown[]>().notNull(),
    history: jsonb('history').$type<unknown[]>().notNull(),
    createdAt: timestamptz('created_at'),
  },
  (t) => [
    primaryKey({ name: 'responses_pkey', columns: [t.ownerId, t.id] }),
    // The retention clean-up deletes by age across owners.
    index('responses_created_idx').on(t.createdAt),
  ],
);

/**
 * Browser sessions. The sealed cookie holds only a random session id; this row says whose it is. `id` is the
 * SHA-256 of that id, so the table alone opens no session. Deleting the row ends the session everywhere.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    /** SHA-256 (hex) of the access key signed in with: each request checks that key is still valid. */
    keyDigest: text('key_digest').notNull(),
    createdAt: timestamptz('created_at'),
    lastSeenAt: timestamptz('last_seen_at'),
  },
  (t) => [
    // A key's revocation ends all of its sessions at once.
    index('sessions_key_digest_idx').on(t.keyDigest),
    // The expiry clean-up deletes by idleness across owners.
    index('sessions_last_seen_idx').on(t.lastSeenAt),
  ],
);

/** Secrets Iris makes for itself on first start (the session secret when SESSION_SECRET is unset), shared by every instance. */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamptz('created_at'),
});

/**
 * Read-only links to a snapshot of a chat's current branch. The id is the only credential (random, 128 bits), so
 * it is global rather than per owner. The snapshot holds no ids of the owner's: images are named by their place
 * in `fileIds`, which only the server reads. Deleting the chat deletes its share.
 */
export const shares = pgTable(
  'shares',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    chatId: text('chat_id').notNull(),
    snapshot: jsonb('snapshot').$type<ShareSnapshot>().notNull(),
    /** The owner's file ids, in the order the snapshot numbers its images. */
    fileIds: jsonb('file_ids').$type<string[]>().notNull(),
    createdAt: timestamptz('created_at'),
  },
  (t) => [
    uniqueIndex('shares_chat_idx').on(t.ownerId, t.chatId),
    foreignKey({
      name: 'shares_chat_fk',
      columns: [t.ownerId, t.chatId],
      foreignColumns: [chats.ownerId, chats.id],
    }).onDelete('cascade'),
  ],
);
