import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI, type ChatOpenAIFields, OpenAIEmbeddings } from '@langchain/openai';
import { GATEWAY_KEYS } from './constants.ts';
import { irisUrl } from './iris.ts';

/** The AI SDK's OpenAI-compatible provider pointed at Iris, as its users would set it up. */
export function irisOpenAICompatible(
  fetch?: typeof globalThis.fetch,
  options: { supportsStructuredOutputs?: boolean } = {},
) {
  return createOpenAICompatible({
    name: 'iris',
    baseURL: `${irisUrl()}/v1`,
    apiKey: GATEWAY_KEYS[0],
    includeUsage: true,
    fetch,
    ...options,
  });
}

/** LangChain's ChatOpenAI pointed at Iris; only the base URL and the key differ from talking to OpenAI. */
export function irisChatOpenAI(model: string, fetch?: typeof globalThis.fetch, fields: ChatOpenAIFields = {}) {
  return new ChatOpenAI({
    model,
    apiKey: GATEWAY_KEYS[0],
    configuration: { baseURL: `${irisUrl()}/v1`, fetch },
    maxRetries: 0,
    ...fields,
  });
}

/** LangChain's OpenAIEmbeddings pointed at Iris, as a RAG pipeline built for OpenAI would set it up. */
export function irisOpenAIEmbeddings(fields: ConstructorParameters<typeof OpenAIEmbeddings>[0] = {}) {
  return new OpenAIEmbeddings({
    model: 'text-embedding-3-small',
    apiKey: GATEWAY_KEYS[0],
    configuration: { baseURL: `${irisUrl()}/v1` },
    maxRetries: 0,
    ...fields,
  });
}
