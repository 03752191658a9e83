import type { z } from 'zod';
import { invalidRequest } from '@/lib/errors';
import { ChatCompletionRequest } from '@/lib/openai/request-schema';

/** Validates a parsed JSON body as a Chat Completions request, or throws a 400 that names the offending `param`. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_json');
  }
  const parsed = ChatCompletionRequest.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const issue = mostSpecificIssue(parsed.error.issues);
    const param = formatParam(issue.path);
    throw invalidRequest(describeIssue(issue, param), param || null, 'invalid_value');
  }
  rejectUnsupported(parsed.data);
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
  if (request.tools && request.tools.length > 0) throw notYet('tools', 'function calling');
  if (request.tool_choice != null && request.tool_choice !== 'none' && request.tool_choice !== 'auto')
    throw notYet('tool_choice', 'function calling');
  if (request.functions != null) throw notYet('functions', 'function calling');
  if (request.function_call != null) throw notYet('function_call', 'function calling');
  if (request.response_format != null && request.response_format.type !== 'text')
    throw notYet('response_format', 'structured output');
  if (request.reasoning_effort != null) throw notYet('reasoning_effort', 'reasoning control');
  if ((request.n ?? 1) !== 1) throw notYet('n', 'several candidates');
  if ((request.presence_penalty ?? 0) !== 0) throw notYet('presence_penalty', 'penalties');
  if ((request.frequency_penalty ?? 0) !== 0) throw notYet('frequency_penalty', 'penalties');
  if (request.logprobs === true) throw notYet('logprobs', 'log probabilities');
  if ((request.top_logprobs ?? 0) > 0) throw notYet('top_logprobs', 'log probabilities');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw invalidRequest('logit_bias is not supported by Gemini.', 'logit_bias', 'unsupported_parameter');
  if (request.modalities?.some((m) => m !== 'text')) throw notYet('modalities', 'audio output');
  if (request.audio != null) throw notYet('audio', 'audio output');
  if (request.prediction != null) throw notYet('prediction', 'predicted outputs');
  if (request.web_search_options != null) throw notYet('web_search_options', 'web search');

  request.messages.forEach((message, i) => {
    if (message.role === 'tool' || message.role === 'function')
      throw notYet(`messages[${i}].role`, `"${message.role}" messages belong to function calling`);
    if (message.role === 'assistant') {
      if (message.tool_calls && message.tool_calls.length > 0)
        throw notYet(`messages[${i}].tool_calls`, 'function calling');
      if (message.function_call != null) throw notYet(`messages[${i}].function_call`, 'function calling');
    }
    if (message.role === 'user' && Array.isArray(message.content)) {
      message.content.forEach((part, j) => {
        if (part.type === 'input_audio') throw notYet(`messages[${i}].content[${j}]`, 'audio input');
        if (part.type === 'file') throw notYet(`messages[${i}].content[${j}]`, 'file input');
      });
    }
  });
}
