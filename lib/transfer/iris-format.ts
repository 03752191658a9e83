import { z } from 'zod';
import { SettingsSchema } from '@/lib/storage/validate';

/**
 * Iris's chat export (`GET /api/chats/:id/export?format=json`), which `POST /api/chats/import` takes back.
 * Version 1 holds the whole tree of each chat (every version of every message, `parentId` null for a first
 * message) and which message ends the current branch (`current`); images are embedded as base64 in `files` and
 * referred to from image parts by their `id` there. Ids only tie the file together: an import gives new ones.
 */
export const IRIS_FORMAT = 'iris.chat';
export const IRIS_FORMAT_VERSION = 1;

const Id = z.string().min(1).max(200);

const IrisPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(1_000_000) }),
  z.object({ type: z.literal('reasoning'), text: z.string().max(1_000_000) }),
  z.object({ type: z.literal('image'), file: Id }),
]);

const IrisMessage = z.object({
  id: Id,
  parentId: Id.nullable(),
  role: z.enum(['user', 'assistant']),
  parts: z.array(IrisPart).max(1_000),
  status: z.enum(['streaming', 'complete', 'stopped', 'interrupted', 'error']).default('complete'),
  finishReason: z.string().max(64).nullable().optional(),
  usage: z.record(z.string(), z.int().min(0)).nullable().optional(),
  error: z.string().max(4_000).nullable().optional(),
  notice: z.string().max(500).nullable().optional(),
  model: z.string().min(1).max(200).nullable().optional(),
  createdAt: z.string().optional(),
});

const IrisFile = z.object({
  id: Id,
  mediaType: z.string().max(100),
  /** The image's bytes, base64. */
  data: z.base64(),
});

const IrisChat = z.object({
  title: z.string().max(1_000),
  model: z.string().min(1).max(200),
  // The stored chats' own schema, so whatever Iris exports it takes back.
  settings: SettingsSchema.optional(),
  createdAt: z.string().optional(),
  /** The last message of the current branch; null or absent: the newest versions. */
  current: Id.nullable().optional(),
  messages: z.array(IrisMessage).max(5_000),
  files: z.array(IrisFile).max(1_000).default([]),
});

export const IrisExport = z.object({
  format: z.literal(IRIS_FORMAT),
  version: z.literal(IRIS_FORMAT_VERSION),
  exportedAt: z.string().optional(),
  chats: z.array(IrisChat).min(1).max(100),
});

export type IrisExport = z.infer<typeof IrisExport>;
export type IrisChat = z.infer<typeof IrisChat>;
export type IrisMessage = z.infer<typeof IrisMessage>;
