import { jsonEvents, parseSse } from './iris.ts';
import { validateOpenAI } from './openapi.ts';

export interface RecordedResponse {
  status: number;
  contentType: string;
  text: string;
}

/**
 * A `fetch` for clients that hide the wire (@ai-sdk/openai-compatible, LangChain): it keeps a copy of every
 * response body, so a test can check each JSON body and each SSE chunk against OpenAI's schemas.
 */
export function recordingFetch() {
  const pending: Promise<RecordedResponse>[] = [];
  const recordingFetchFn: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const copy = response.clone();
    pending.push(
      copy.text().then((text) => ({
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text,
      })),
    );
    return response;
  };

  return {
    fetch: recordingFetchFn,
    responses: () => Promise.all(pending),
    /** Every schema error in every recorded response (empty when all are valid), plus what was checked. */
    async schemaErrors(): Promise<{ errors: string[]; completions: number; chunks: number }> {
      const errors: string[] = [];
      let completions = 0;
      let chunks = 0;
      for (const response of await Promise.all(pending)) {
        if (response.contentType.startsWith('text/event-stream')) {
          const events = parseSse(response.text);
          if (events.at(-1)?.data !== '[DONE]') errors.push('stream did not end with [DONE]');
          for (const chunk of jsonEvents(events)) {
            chunks++;
            errors.push(...validateOpenAI('CreateChatCompletionStreamResponse', chunk));
          }
        } else {
          const body: unknown = JSON.parse(response.text);
          if (response.status === 200) completions++;
          errors.push(
            ...validateOpenAI(response.status === 200 ? 'CreateChatCompletionResponse' : 'ErrorResponse', body),
          );
        }
      }
      return { errors, completions, chunks };
    },
  };
}
