import type { RecordedFunctionCalling } from './function-calls.ts';

export interface FakeGeminiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Accepted `x-goog-api-key` values; defaults to ['fake-gemini-key']. */
  apiKeys?: string[];
  /**
   * Keys created before Google's deprecations, which may still call RETIRED_FOR_NEW_KEYS (models.ts); accepted
   * as well as `apiKeys`. Defaults to none.
   */
  legacyApiKeys?: string[];
}

export interface RecordedImage {
  mimeType: string;
  bytes: number;
  /** Hex SHA-256 of the base64-decoded bytes. */
  sha256: string;
}

export type RecordedMethod =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'embedContent'
  | 'batchEmbedContents'
  | 'listModels';

export interface RecordedRequest {
  id: number;
  method: RecordedMethod;
  model: string | null;
  apiKey: string | null;
  /** The parsed JSON body; the raw text when it was not JSON; null when there was none. */
  body: unknown;
  /** Every `inlineData` part, whatever its mimeType, so a non-image that slipped through is visible too. */
  images: RecordedImage[];
  /** Every `fileData.fileUri`, so tests can prove URLs never reach Gemini. */
  fileUris: string[];
  tag: string | null;
  receivedAt: number;
  finishedAt: number | null;
  closedAt: number | null;
  /** The connection closed before the fake finished its reply. */
  clientAborted: boolean;
  /**
   * When each stream chunk was handed to the socket, as `performance.timeOrigin + performance.now()`: a clock an
   * in-process client shares at sub-millisecond resolution, so it can tell how long the gateway held each chunk.
   */
  chunkSentAt: number[];
  /** Tools, toolConfig and every functionCall/functionResponse part received; null when there were none. */
  functionCalling: RecordedFunctionCalling | null;
}

export interface FakeGemini {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** origin + '/v1beta' */
  baseURL: string;
  /** Live list: reset() empties this same array. */
  requests: RecordedRequest[];
  /** Forgets the recorded requests and the /__fake/config settings. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeConfig {
  /** When set, ListModels fails with this HTTP status. */
  modelsListStatus: number | null;
  /** Model ids retired since start: left out of ListModels and answered with Google's "not found" 404. */
  retiredModels: string[];
}
