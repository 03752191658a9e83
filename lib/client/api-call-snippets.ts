import type { UIMessage } from 'ai';

/**
 * "View as API call": the chat's conversation as a request to Iris's OpenAI-compatible endpoint, written as a
 * curl script, an `openai` JavaScript module and an `openai` Python script that run as shown.
 *
 * The chat's images live at /api/files/<id> behind the browser session, which an API client cannot use (and the
 * API does not fetch private addresses), so every snippet reads them from local files (image-1.png, …) and sends
 * base64 data URLs. The key comes from the IRIS_API_KEY environment variable; no snippet ever holds a key.
 */

export interface ConversationForSnippet {
  /** e.g. "http://localhost:3000/v1" */
  baseUrl: string;
  model: string;
  settings: { systemPrompt?: string; temperature?: number; maxTokens?: number };
  messages: SnippetMessage[];
}

export interface SnippetMessage {
  role: 'user' | 'assistant';
  text: string;
  /** `url` is the chat's own address of the image, "/api/files/<id>". */
  images: Array<{ url: string; mediaType: string }>;
}

/** A local file the snippets read, and where the browser can download it. */
export interface SnippetImageFile {
  fileName: string;
  /** The chat's address of the image ("/api/files/<id>"), for a download link. */
  url: string;
  /** The media type written into the data URL. */
  mediaType: string;
}

export interface ApiCallSnippets {
  curl: string;
  javascript: string;
  python: string;
  /** The files the snippets expect in the directory they run in, in order of appearance. */
  images: SnippetImageFile[];
  /** The chat has no question yet, so the snippets ask PLACEHOLDER_QUESTION. */
  placeholderQuestion: boolean;
}

export const PLACEHOLDER_QUESTION = 'Say hello.';

/**
 * The chat's UI messages → snippet messages, as the chat's own server builds Gemini's history
 * (lib/chat/ui-messages.ts, toModelHistory): text parts joined, files become images, reasoning and other parts
 * are dropped, and so is a message left with nothing (an answer that failed or is still streaming).
 */
export function toSnippetMessages(messages: readonly UIMessage[]): SnippetMessage[] {
  const result: SnippetMessage[] = [];
  for (const message of messages) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    let text = '';
    const images: SnippetMessage['images'] = [];
    for (const part of message.parts) {
      if (part.type === 'text') text += part.text;
      // The chat sends Gemini the text of answers only; an image part can only come from the user.
      else if (part.type === 'file' && message.role === 'user')
        images.push({ url: part.url, mediaType: part.mediaType });
    }
    if (text === '' && images.length === 0) continue;
    result.push({ role: message.role, text, images });
  }
  return result;
}

/**
 * The messages the request carries: everything up to and including the last user message. That is the request
 * that produced the last answer (or would produce it, when the last question has none yet), which is what "this
 * conversation as an API call" means; an answer after it is its output, not its input. A chat without a question
 * gets a placeholder one, so the snippets still run.
 */
export function requestMessagesOf(messages: readonly SnippetMessage[]): {
  messages: SnippetMessage[];
  placeholderQuestion: boolean;
} {
  const lastQuestion = messages.findLastIndex((m) => m.role === 'user');
  if (lastQuestion < 0) {
    return { messages: [{ role: 'user', text: PLACEHOLDER_QUESTION, images: [] }], placeholderQuestion: true };
  }
  return { messages: messages.slice(0, lastQuestion + 1), placeholderQuestion: false };
}

export function buildApiCallSnippets(
  conversation: ConversationForSnippet,
  options: { stream: boolean },
): ApiCallSnippets {
  const request = buildRequest(conversation, options.stream);
  return {
    curl: curlSnippet(request),
    javascript: javascriptSnippet(request),
    python: pythonSnippet(request),
    images: request.images,
    placeholderQuestion: request.placeholderQuestion,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The request, once, as a tree each language prints in its own syntax.

/** Where a snippet puts `data:<type>;base64,<contents of the file>`. */
class ImageDataUrl {
  readonly file: SnippetImageFile;
  /** 1-based, for variable names. */
  readonly index: number;

  constructor(file: SnippetImageFile, index: number) {
    this.file = file;
    this.index = index;
  }
}

type Value = string | number | boolean | ImageDataUrl | Value[] | { [key: string]: Value };

interface BuiltRequest {
  /** Without a trailing slash. */
  baseUrl: string;
  /** The body's top-level fields in order: JS passes them as one object, Python as keyword arguments. */
  fields: Array<[string, Value]>;
  imageRefs: ImageDataUrl[];
  images: SnippetImageFile[];
  stream: boolean;
  placeholderQuestion: boolean;
}

function buildRequest(conversation: ConversationForSnippet, stream: boolean): BuiltRequest {
  const { messages, placeholderQuestion } = requestMessagesOf(conversation.messages);
  const refs = new Map<string, ImageDataUrl>();
  const imageRef = (image: SnippetMessage['images'][number]): ImageDataUrl => {
    // One file per image even when a chat shows the same image twice.
    let ref = refs.get(image.url);
    if (!ref) {
      const mediaType = safeMediaType(image.mediaType);
      const index = refs.size + 1;
      ref = new ImageDataUrl(
        { fileName: `image-${index}.${extensionOf(mediaType)}`, url: image.url, mediaType },
        index,
      );
      refs.set(image.url, ref);
    }
    return ref;
  };

  const wireMessages: Value[] = [];
  const { systemPrompt, temperature, maxTokens } = conversation.settings;
  // The chat leaves an empty system prompt out (handle-chat.ts), so the request does too.
  if (systemPrompt) wireMessages.push({ role: 'system', content: systemPrompt });
  for (const message of messages) {
    if (message.role === 'assistant' || message.images.length === 0) {
      wireMessages.push({ role: message.role, content: message.text });
      continue;
    }
    // Images before the text: the order the chat's composer (AI SDK sendMessage) gives the parts.
    const content: Value[] = message.images.map((image) => ({
      type: 'image_url',
      image_url: { url: imageRef(image) },
    }));
    if (message.text !== '') content.push({ type: 'text', text: message.text });
    wireMessages.push({ role: 'user', content });
  }

  const fields: Array<[string, Value]> = [
    ['model', conversation.model],
    ['messages', wireMessages],
  ];
  if (isFiniteNumber(temperature)) fields.push(['temperature', temperature]);
  // max_completion_tokens, not max_tokens: Iris maps both (README, "Parameter policy"), and the openai clients
  // mark max_tokens deprecated.
  if (isFiniteNumber(maxTokens)) fields.push(['max_completion_tokens', maxTokens]);
  if (stream) fields.push(['stream', true]);

  const imageRefs = [...refs.values()];
  return {
    baseUrl: conversation.baseUrl.replace(/\/+$/, ''),
    fields,
    imageRefs,
    images: imageRefs.map((ref) => ref.file),
    stream,
    placeholderQuestion,
  };
}

const isFiniteNumber = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

const EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/heic', 'heic'],
  ['image/heif', 'heif'],
  ['image/gif', 'gif'],
]);

function extensionOf(mediaType: string): string {
  return EXTENSIONS.get(mediaType) ?? (/^image\/([a-z0-9]{1,10})$/.exec(mediaType)?.[1] || 'img');
}

/**
 * The media type is written into code (a data URL inside a heredoc, an f-string), so only plain type/subtype
 * spellings pass; Iris decides the real type from the bytes anyway.
 */
function safeMediaType(mediaType: string): string {
  const lower = mediaType.trim().toLowerCase();
  return /^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/.test(lower) ? lower : 'application/octet-stream';
}

// ---------------------------------------------------------------------------------------------------------------
// One printer, three syntaxes.

interface Syntax {
  indent: string;
  string(text: string): string;
  key(name: string): string;
  boolean(value: boolean): string;
  image(ref: ImageDataUrl): string;
  /** Inner padding of an object written on one line: `{ a: 1 }` in JS, `{"a": 1}` in JSON and Python. */
  bracePadding: string;
  trailingComma: boolean;
}

const LINE_WIDTH = 100;

/** Prints `value` starting at `column` on a line whose indentation is `depth` levels. */
function print(value: Value, syntax: Syntax, depth: number, column: number): string {
  if (typeof value === 'string') return syntax.string(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return syntax.boolean(value);
  if (value instanceof ImageDataUrl) return syntax.image(value);

  const isArray = Array.isArray(value);
  const items = isArray
    ? value.map((item) => (d: number, c: number) => print(item, syntax, d, c))
    : Object.entries(value).map(([key, item]) => (d: number, c: number) => {
        const prefix = syntax.key(key);
        return prefix + print(item, syntax, d, c + prefix.length);
      });
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;

  const pad = isArray ? '' : syntax.bracePadding;
  const flat = `${open}${pad}${items.map((item) => item(depth, 0)).join(', ')}${pad}${close}`;
  // The request itself always gets a line per field, however short.
  if (depth > 0 && !flat.includes('\n') && column + flat.length <= LINE_WIDTH) return flat;

  const inner = syntax.indent.repeat(depth + 1);
  const lines = items.map((item) => inner + item(depth + 1, inner.length));
  return `${open}\n${lines.join(',\n')}${syntax.trailingComma ? ',' : ''}\n${syntax.indent.repeat(depth)}${close}`;
}

/**
 * JSON's string escapes, plus U+2028/U+2029 written as escapes: valid raw in all three languages, but invisible,
 * and some editors break lines at them.
 */
function jsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A single-quoted JS string: JSON's escapes (valid in JS) with `"` unescaped and `'` escaped instead. */
function jsString(text: string): string {
  // Every `"` inside JSON's quotes is escaped, so a backslash right before a quote is always that escape.
  const body = jsonString(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

/** Inside an unquoted heredoc the shell still reads `\`, `$` and backticks; escaped, they stay literal. */
function heredocEscape(text: string): string {
  return text.replace(/[\\$`]/g, (c) => `\\${c}`);
}

/** One shell word, single-quoted: nothing inside is expanded. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const dataUrlPrefix = (ref: ImageDataUrl) => `data:${ref.file.mediaType};base64,`;

function header(request: BuiltRequest, comment: string, run: string): string[] {
  const files = request.images.map((image) => image.fileName);
  const needs = files.length > 0 ? `${listOf(files)} in the working directory and ` : '';
  const lines = [
    `${comment} Asks Iris's OpenAI-compatible API what this chat asked last, with the same history and settings.`,
    `${comment} Needs ${needs}your Iris API key in IRIS_API_KEY.`,
    `${comment} ${run}`,
  ];
  if (request.placeholderQuestion) {
    lines.push(`${comment} This chat has no question yet: the question below is a placeholder.`);
  }
  return lines;
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// curl

/**
 * The body goes to curl on stdin through a heredoc (`--data-binary @-`), so a large image never meets the
 * command line's length limit. With images the heredoc is unquoted, so `$(base64 < image-1.png | tr -d '\n')`
 * is filled in (portable: GNU base64 wraps lines, macOS base64 has no -w); every `\`, `$` and backtick of the
 * JSON text is escaped so nothing else is expanded. Without images it is quoted and holds plain JSON.
 * No line of the body can read "JSON" on its own: strings never contain a raw line break once JSON-escaped.
 */
function curlSnippet(request: BuiltRequest): string {
  const expands = request.images.length > 0;
  const syntax: Syntax = {
    indent: '  ',
    string: (text) => (expands ? heredocEscape(jsonString(text)) : jsonString(text)),
    key: (name) => `${jsonString(name)}: `,
    boolean: String,
    image: (ref) => `"${dataUrlPrefix(ref)}$(base64 < ${ref.file.fileName} | tr -d '\\n')"`,
    bracePadding: '',
    trailingComma: false,
  };
  const body = print(Object.fromEntries(request.fields), syntax, 0, 0);
  const lines = header(request, '#', 'Run it in bash or sh.');
  if (expands && /\\[\\$`]/.test(body.replace(/\$\(base64 < [^)]*\)/g, ''))) {
    lines.push('# In the JSON below, \\\\, \\$ and \\` are escaped for the shell.');
  }
  lines.push(
    `curl -sS${request.stream ? ' -N' : ''} ${shellQuote(`${request.baseUrl}/chat/completions`)} \\`,
    '  -H "Authorization: Bearer $IRIS_API_KEY" \\',
    "  -H 'Content-Type: application/json' \\",
    `  --data-binary @- <<${expands ? 'JSON' : "'JSON'"}`,
    body,
    'JSON',
  );
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// JavaScript (Node, ESM)

function javascriptSnippet(request: BuiltRequest): string {
  const variable = (ref: ImageDataUrl) => `image${ref.index}`;
  const syntax: Syntax = {
    indent: '  ',
    string: jsString,
    key: (name) => `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : jsString(name)}: `,
    boolean: String,
    image: (ref) => `\`${dataUrlPrefix(ref)}\${${variable(ref)}}\``,
    bracePadding: ' ',
    trailingComma: true,
  };
  const lines = header(request, '//', 'Save as ask-iris.mjs, then run: npm install openai && node ask-iris.mjs');
  if (request.images.length > 0) lines.push("import fs from 'node:fs';");
  lines.push("import OpenAI from 'openai';", '');
  lines.push(
    `const client = new OpenAI({ baseURL: ${jsString(request.baseUrl)}, apiKey: process.env.IRIS_API_KEY });`,
    '',
  );
  for (const ref of request.imageRefs) {
    lines.push(`const ${variable(ref)} = fs.readFileSync(${jsString(ref.file.fileName)}).toString('base64');`);
  }
  if (request.imageRefs.length > 0) lines.push('');
  const body = print(Object.fromEntries(request.fields), syntax, 0, 0);
  if (request.stream) {
    lines.push(
      `const stream = await client.chat.completions.create(${body});`,
      "for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
      "process.stdout.write('\\n');",
    );
  } else {
    lines.push(
      `const completion = await client.chat.completions.create(${body});`,
      'console.log(completion.choices[0].message.content);',
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Python

function pythonSnippet(request: BuiltRequest): string {
  const variable = (ref: ImageDataUrl) => `image_${ref.index}`;
  const syntax: Syntax = {
    indent: '    ',
    // JSON's escapes (\" \\ \n \r \t \b \f \uXXXX) mean the same in a Python string literal.
    string: jsonString,
    key: (name) => `${jsonString(name)}: `,
    boolean: (value) => (value ? 'True' : 'False'),
    image: (ref) => `f"${dataUrlPrefix(ref)}{${variable(ref)}}"`,
    bracePadding: '',
    trailingComma: true,
  };
  const lines = header(request, '#', 'Save as ask_iris.py, then run: pip install openai && python ask_iris.py');
  if (request.images.length > 0) lines.push('import base64');
  lines.push('import os');
  if (request.images.length > 0) lines.push('from pathlib import Path');
  lines.push('', 'from openai import OpenAI', '');
  lines.push(`client = OpenAI(base_url=${jsonString(request.baseUrl)}, api_key=os.environ["IRIS_API_KEY"])`, '');
  for (const ref of request.imageRefs) {
    lines.push(`${variable(ref)} = base64.b64encode(Path(${jsonString(ref.file.fileName)}).read_bytes()).decode()`);
  }
  if (request.imageRefs.length > 0) lines.push('');
  const args = request.fields.map(
    ([name, value]) => `${syntax.indent}${name}=${print(value, syntax, 1, syntax.indent.length + name.length + 1)},`,
  );
  const call = `client.chat.completions.create(\n${args.join('\n')}\n)`;
  if (request.stream) {
    lines.push(
      `stream = ${call}`,
      'for chunk in stream:',
      '    if chunk.choices:',
      '        print(chunk.choices[0].delta.content or "", end="", flush=True)',
      'print()',
    );
  } else {
    lines.push(`completion = ${call}`, 'print(completion.choices[0].message.content)');
  }
  return `${lines.join('\n')}\n`;
}
