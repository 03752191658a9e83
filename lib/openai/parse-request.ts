import type { z } from 'zod';
import { invalidRequest } from '@/lib/errors';
import { ChatCompletionRequest } from '@/lib/openai/request-schema';

/** Validates a parsed JSON body as a Chat Completions request, or throws a 400 that names the offending `param`. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const request = parseRequestBody(ChatCompletionRequest, body);
  rejectUnsupported(request);
  return request;
}

/** Validates a parsed JSON body against an endpoint's request schema, or throws a 400 that names the `param`. */
export function parseRequestBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_json');
  }
  const parsed = schema.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const issue = mostSpecificIssue(parsed.error.issues);
    const param = formatParam(issue.path);
    throw invalidRequest(describeIssue(issue, param), param || null, 'invalid_value');
  }
  return parsed.data;
}

/** `['messages', 2, 'content', 1, 'image_url', 'url']` → `messages[2].content[1].image_url.url` */
export function formatParam(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

type Issue = z.core.$ZodIssue;

/**
 * A union reports one issue for the whole union; the branch that got furthest into the value
 * says what the caller actually got wrong (`messages[0].content[1].image_url.url`, not `messages[0].content`).
 */
function mostSpecificIssue(issues: readonly Issue[]): Issue {
  let best: Issue | undefined;
  for (const issue of issues) {
    const candidate = issue.code === 'invalid_union' ? deepestInUnion(issue) : issue;
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  // safeParse failure always carries at least one issue.
  return best as Issue;
}

function deepestInUnion(issue: Extract<Issue, { code: 'invalid_union' }>): Issue {
  let best: Issue = issue;
  let bestScore = -1;
  for (const branch of issue.errors) {
    if (branch.length === 0) continue;
    const inner = mostSpecificIssue(branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
    // Deeper wins; at equal depth, the branch whose type matched (its complaint is not about the type) wins.
    const score = inner.path.length * 2 + (inner.code === 'invalid_type' ? 0 : 1);
    if (score > bestScore) {
      best = inner;
      bestScore = score;
    }
  }
  return best;
}

function describeIssue(issue: Issue, param: string): string {
  const where = param || 'The request body';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${where} is required.`;
      return `${where} must be ${article(issue.expected)}, not ${describeValue(issue.input)}.`;
    case 'invalid_union':
      if (issue.discriminator) {
        const options =
          'options' in issue && issue.options
            ? ` (one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')})`
            : '';
        return `${where} is missing or not one Iris knows${options}.`;
      }
      return `${where} has an unexpected shape: ${issue.message}.`;
    case 'invalid_value':
      return `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string')
        return `${where} ${issue.message.replace(/^Too small: /, '')}.`.replace('..', '.');
      return `${where} must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}.`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'string')
        return `${where}: ${issue.message}.`.replace('..', '.');
      return `${where} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}.`;
    default:
      return `${where} is invalid: ${issue.message}.`;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/** Parameters that Iris understands but does not serve yet: refused loudly rather than dropped. */
function rejectUnsupported(request: ChatCompletionRequest): void {
  const notYet = (param: string, what: string) =>
    invalidRequest(
      `${param} is not supported by Iris yet (${what}). Remove it, or see the parameter policy in the README.`,
      param,
      'unsupported_parameter',
    );

  if (request.stream_options != null && request.stream !== true) {
    throw invalidRequest('stream_options is only allowed when stream is true.', 'stream_options', 'invalid_value');
  }
  // tools, tool_choice and parallel_tool_calls are checked and mapped in tools.ts; only the deprecated forms stay out.
  if (request.functions != null) throw legacyFunctions('functions');
  if (request.function_call != null) throw legacyFunctions('function_call');
  if (request.logprobs === true) throw noLogprobs('logprobs');
  if ((request.top_logprobs ?? 0) > 0) throw noLogprobs('top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw invalidRequest('logit_bias is not supported by Gemini.', 'logit_bias', 'unsupported_parameter');
  if (request.modalities?.some((m) => m !== 'text')) throw notYet('modalities', 'audio output');
  if (request.audio != null) throw notYet('audio', 'audio output');
  if (request.prediction != null) throw notYet('prediction', 'predicted outputs');
  if (request.web_search_options != null) throw notYet('web_search_options', 'web search');

  request.messages.forEach((message, i) => {
    if (message.role === 'function') throw legacyFunctions(`messages[${i}].role`);
    if (message.role === 'assistant' && message.function_call != null)
      throw legacyFunctions(`messages[${i}].function_call`);
  });
}

function legacyFunctions(param: string) {
  return invalidRequest(
    `${param} belongs to OpenAI's deprecated function calling, which Iris does not serve: send the functions as \`tools\` (type "function") with \`tool_choice\`, and their results as "tool" messages.`,
    param,
    'unsupported_parameter',
  );
}

// Gemini can return log probabilities, but the AI SDK's Google provider neither asks for them nor reads them,
// and every call goes through that SDK: refused, never faked.
function noLogprobs(param: string) {
  return invalidRequest(
    `${param} is not supported: Iris calls Gemini through the AI SDK, whose Google provider neither requests nor returns log probabilities. Remove it.`,
    param,
    'unsupported_parameter',
  );
}
