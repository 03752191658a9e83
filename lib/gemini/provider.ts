import { createGoogleGenerativeAI } from '@ai-sdk/google';
import type { EmbeddingModel, LanguageModel } from 'ai';

/**
 * A provider per request, because the upstream key can differ per request (bring-your-own-key).
 * Creating one is cheap: it holds settings, not connections.
 */
export function geminiModel(modelId: string, options: { apiKey: string; baseURL: string }): LanguageModel {
  return createGoogleGenerativeAI({ apiKey: options.apiKey, baseURL: options.baseURL })(modelId);
}

export function geminiEmbeddingModel(modelId: string, options: { apiKey: string; baseURL: string }): EmbeddingModel {
  return createGoogleGenerativeAI({ apiKey: options.apiKey, baseURL: options.baseURL }).embedding(modelId);
}
