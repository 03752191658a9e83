/** The shapes the repositories hand out; rows are mapped to these so no caller depends on column names. */

export interface ChatSettings {
  systemPrompt?: string;
  temperature?: number;
  maxTokens?: number;
}

export interface Chat {
  id: string;
  ownerId: string;
  title: string;
  model: string;
  settings: ChatSettings;
  createdAt: Date;
  updatedAt: Date;
}

/** Images are stored once in `files` and referred to by id, so a long chat never carries bytes around. */
export type StoredPart =
  | { type: 'text'; text: string }
  | { type: 'file'; fileId: string; mediaType: string }
  | { type: 'reasoning'; text: string };

export type MessageRole = 'user' | 'assistant';
/**
 * `streaming`: the answer is being written; it becomes complete, stopped (by the user) or error when the stream
 * ends, or `interrupted` when the server stopped first (a shutdown, or a crash found at the next start-up).
 */
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'interrupted' | 'error';

export interface StoredMessage {
  id: string;
  chatId: string;
  /** The message this one follows; null for a first message (see lib/storage/message-tree.ts). */
  parentId: string | null;
  role: MessageRole;
  parts: StoredPart[];
  status: MessageStatus;
  finishReason: string | null;
  usage: Record<string, number> | null;
  error: string | null;
  /** For the reader, e.g. that the chat's model was retired and another answered. */
  notice: string | null;
  /** The model that wrote an answer. */
  model: string | null;
  /** Why Gemini stopped, in words, where it says (the safety category that blocked the answer). */
  finishDetail: string | null;
  createdAt: Date;
}

export interface StoredFileInfo {
  id: string;
  sha256: string;
  mediaType: string;
  byteSize: number;
  width: number;
  height: number;
  createdAt: Date;
}

export type StoredFile = StoredFileInfo & { bytes: Uint8Array };

/** What a share link shows: the current branch when it was shared, with nothing that names the owner's data. */
export interface ShareSnapshot {
  title: string;
  model: string;
  messages: SharedMessage[];
}

export interface SharedMessage {
  role: MessageRole;
  /** Images are numbered by their place in the share's file list: `/s/<id>/files/<index>`. */
  parts: Array<
    | { type: 'text'; text: string }
    | { type: 'reasoning'; text: string }
    | { type: 'image'; index: number; mediaType: string }
  >;
  status: MessageStatus;
  finishReason: string | null;
  model: string | null;
  createdAt: string;
}
