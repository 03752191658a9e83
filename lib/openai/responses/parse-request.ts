import { invalidRequest } from '@/lib/errors';
import { parseRequestBody } from '@/lib/openai/parse-request';
import { ResponsesRequest } from '@/lib/openai/responses/request-schema';

// What `include` may ask for: reasoning items carry Iris's sealed signatures whatever it says (reasoning-seal.ts).
const INCLUDABLE = new Set(['reasoning.encrypted_content']);

/** Validates a parsed JSON body as a Responses request, or throws a 400 that names the offending `param`. */
export function parseResponsesRequest(body: unknown): ResponsesRequest {
  const request = parseRequestBody(ResponsesRequest, body);
  rejectUnsupported(request);
  return request;
}

function rejectUnsupported(request: ResponsesRequest): void {
  const unsupported = (param: string, why: string) =>
    invalidRequest(`${param} is not supported: ${why}`, param, 'unsupported_parameter');

  if (request.input == null && request.previous_response_id == null) {
    throw invalidRequest('input is required: a string, or a list of input items.', 'input', 'invalid_value');
  }
  if (request.stream_options != null && request.stream !== true) {
    throw invalidRequest('stream_options is only allowed when stream is true.', 'stream_options', 'invalid_value');
  }
  if (request.background === true) throw unsupported('background', 'Iris answers while the request is open.');
  if ((request.top_logprobs ?? 0) > 0) {
    throw unsupported('top_logprobs', "the AI SDK's Google provider neither requests nor returns log probabilities.");
  }
  if (request.prompt != null) throw unsupported('prompt', 'Iris has no stored prompt templates; send the input.');
  if (request.conversation != null) {
    throw unsupported('conversation', 'Iris has no Conversations API; continue with previous_response_id.');
  }
  if (request.context_management != null) throw unsupported('context_management', 'Iris does not compact context.');
  request.include?.forEach((value, i) => {
    if (!INCLUDABLE.has(value)) {
      throw unsupported(`include[${i}]`, `${JSON.stringify(value)} is not something Iris can add to a response.`);
    }
  });
}
