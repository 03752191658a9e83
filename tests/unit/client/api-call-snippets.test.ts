import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiCallSnippets,
  type ConversationForSnippet,
  PLACEHOLDER_QUESTION,
  requestMessagesOf,
  type SnippetMessage,
  toSnippetMessages,
} from '@/lib/client/api-call-snippets';
import { makePng } from '../../support/png.ts';

/**
 * The snippets are proven by running them: the curl script in bash and in sh with `curl` replaced by a function
 * that prints what it was given, the JavaScript in Node and the Python in python3 with the `openai` package
 * replaced by a stub that records the request. Each body must equal the request written out by hand below.
 */

// Everything a shell, a JS or a Python string literal, a heredoc or JSON could trip over.
const HOSTILE = [
  `single ' double " backslash \\ and \\\\ two`,
  `command $(touch pwned) and \`touch pwned\` and \${HOME} and $IRIS_API_KEY and $1 and $$`,
  `escapes as text: \\n \\t \\u0041 \\" \\$ %s %d {0} {image_1} \${image1}`,
  '"""triple""" \'\'\' f"{x}"',
  'JSON',
  'EOF',
  "'JSON'",
  'history !! !x !-1 ^a^b',
  'tab\there, carriage return\r\nand a bell \u0007, a nul \u0000, a DEL \u007f',
  'separators \u2028 \u2029 \u0085 and non-Latin: ÿ — 日本語 🙂 and a lone surrogate \ud800',
  '</script><!-- -->',
  '',
  'trailing backslash \\',
].join('\n');

const SYSTEM = `Answer like a pirate; $(whoami) "quoted" 'single' \\ \`tick\`\nsecond line`;
const ANSWER = `An answer with "quotes", 'apostrophes', $(date), \`ticks\` and \\backslashes\\\nover lines`;
const API_KEY = `k-$(touch key-pwned)-'"-\`x\``;
const BASE_URL = 'http://127.0.0.1:3999/v1';

const PNG = makePng(300, 200, 7);
const JPEG_BYTES = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31 + 7) % 256));
const dataUrl = (bytes: Buffer, type: string) => `data:${type};base64,${bytes.toString('base64')}`;

const conversation: ConversationForSnippet = {
  baseUrl: `${BASE_URL}/`,
  model: 'gemini-3-flash-preview',
  settings: { systemPrompt: SYSTEM, temperature: 0.4, maxTokens: 512 },
  messages: [
    { role: 'user', text: HOSTILE, images: [{ url: '/api/files/png1', mediaType: 'image/png' }] },
    { role: 'assistant', text: ANSWER, images: [] },
    {
      role: 'user',
      text: `Compare them. ${HOSTILE}`,
      images: [
        { url: '/api/files/jpg1', mediaType: 'image/jpeg' },
        { url: '/api/files/png1', mediaType: 'image/png' },
      ],
    },
    // The answer to the last question is the request's output, so it is not part of it.
    { role: 'assistant', text: 'The last answer', images: [] },
  ],
};

function expectedBody(stream: boolean) {
  const png = { type: 'image_url', image_url: { url: dataUrl(PNG, 'image/png') } };
  const jpeg = { type: 'image_url', image_url: { url: dataUrl(JPEG_BYTES, 'image/jpeg') } };
  return {
    model: 'gemini-3-flash-preview',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: [png, { type: 'text', text: HOSTILE }] },
      { role: 'assistant', content: ANSWER },
      { role: 'user', content: [jpeg, png, { type: 'text', text: `Compare them. ${HOSTILE}` }] },
    ],
    temperature: 0.4,
    max_completion_tokens: 512,
    ...(stream ? { stream: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Running the snippets

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'iris-snippets-'));
  mkdirSync(path.join(workDir, 'node_modules/openai'), { recursive: true });
  writeFileSync(
    path.join(workDir, 'node_modules/openai/package.json'),
    JSON.stringify({ name: 'openai', type: 'module', exports: './index.mjs' }),
  );
  writeFileSync(path.join(workDir, 'node_modules/openai/index.mjs'), JS_STUB);
  mkdirSync(path.join(workDir, 'python/openai'), { recursive: true });
  writeFileSync(path.join(workDir, 'python/openai/__init__.py'), PYTHON_STUB);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** A fresh directory for one run, holding the image files a snippet names, beside the stubs. */
function runDir(files: Record<string, Buffer>): string {
  const dir = mkdtempSync(path.join(workDir, 'run-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
  return dir;
}

/** Only what the snippets need, so nothing of the machine's environment (OPENAI_*, proxies) plays a part. */
const snippetEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  NODE_ENV: 'test',
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  IRIS_API_KEY: API_KEY,
  ...extra,
});

const IMAGE_FILES = { 'image-1.png': PNG, 'image-2.jpg': JPEG_BYTES };

interface Run {
  body: unknown;
  stdout: string;
  dir: string;
}

function check(result: ReturnType<typeof spawnSync>, what: string): void {
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${what} exited with ${result.status}: ${String(result.stderr)}`);
}

/** Runs the curl script with `curl` as a shell function that records its arguments and prints its stdin. */
function runCurl(snippet: string, shell: 'bash' | 'sh', files: Record<string, Buffer> = IMAGE_FILES) {
  const dir = runDir(files);
  const fakeCurl = `curl() { printf '%s\\n' "$@" > curl-args.txt; cat; }\n`;
  const result = spawnSync(shell, ['-c', fakeCurl + snippet], {
    cwd: dir,
    env: snippetEnv(),
    encoding: 'utf8',
  });
  check(result, `${shell} curl snippet`);
  const args = readFileSync(path.join(dir, 'curl-args.txt'), 'utf8').split('\n').slice(0, -1);
  return { body: JSON.parse(result.stdout), stdout: result.stdout, dir, args };
}

const JS_STUB = `
import fs from 'node:fs';
export default class OpenAI {
  constructor(options) {
    this.chat = { completions: { create: async (body) => {
      fs.writeFileSync('request.json', JSON.stringify({ options, body }));
      if (!body.stream) return { choices: [{ message: { role: 'assistant', content: 'stub answer' } }] };
      return (async function* () {
        yield { choices: [{ delta: { role: 'assistant', content: '' } }] };
        yield { choices: [{ delta: { content: 'streamed ' } }] };
        yield { choices: [{ delta: { content: 'answer' } }] };
        yield { choices: [], usage: { total_tokens: 3 } };
      })();
    } } };
  }
}
`;

function runJavaScript(snippet: string): Run & { options: unknown } {
  const dir = runDir(IMAGE_FILES);
  writeFileSync(path.join(dir, 'ask-iris.mjs'), snippet);
  const result = spawnSync(process.execPath, ['ask-iris.mjs'], {
    cwd: dir,
    env: snippetEnv(),
    encoding: 'utf8',
  });
  check(result, 'node');
  const recorded = JSON.parse(readFileSync(path.join(dir, 'request.json'), 'utf8'));
  return { body: recorded.body, options: recorded.options, stdout: result.stdout, dir };
}

const PYTHON_STUB = `
import json
from types import SimpleNamespace as NS


class OpenAI:
    def __init__(self, *, base_url, api_key):
        self._options = {"base_url": base_url, "api_key": api_key}
        self.chat = NS(completions=NS(create=self._create))

    def _create(self, **body):
        with open("request.json", "w", encoding="utf-8") as f:
            json.dump({"options": self._options, "body": body}, f)
        if not body.get("stream"):
            return NS(choices=[NS(message=NS(role="assistant", content="stub answer"))])
        return iter([
            NS(choices=[NS(delta=NS(role="assistant", content=""))]),
            NS(choices=[NS(delta=NS(content="streamed "))]),
            NS(choices=[NS(delta=NS(content=None))]),
            NS(choices=[NS(delta=NS(content="answer"))]),
            NS(choices=[], usage=NS(total_tokens=3)),
        ])
`;

function runPython(snippet: string): Run & { options: unknown } {
  const dir = runDir(IMAGE_FILES);
  writeFileSync(path.join(dir, 'ask_iris.py'), snippet);
  const result = spawnSync('python3', ['ask_iris.py'], {
    cwd: dir,
    env: snippetEnv({ PYTHONPATH: path.join(workDir, 'python') }),
    encoding: 'utf8',
  });
  check(result, 'python3');
  const recorded = JSON.parse(readFileSync(path.join(dir, 'request.json'), 'utf8'));
  return { body: recorded.body, options: recorded.options, stdout: result.stdout, dir };
}

function pythonParses(source: string): boolean {
  const result = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: source,
    encoding: 'utf8',
  });
  return result.status === 0;
}

// ---------------------------------------------------------------------------------------------------------------

describe('toSnippetMessages', () => {
  it('joins text parts, turns file parts into images, and drops reasoning and other parts', () => {
    const messages: UIMessage[] = [
      { id: 's', role: 'system', parts: [{ type: 'text', text: 'not part of the chat' }] },
      {
        id: 'u1',
        role: 'user',
        parts: [
          { type: 'file', mediaType: 'image/png', url: '/api/files/a', filename: 'cat.png' },
          { type: 'text', text: 'What is ' },
          { type: 'text', text: 'this?' },
        ],
      },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'reasoning', text: 'Looking at the cat', state: 'done' },
          { type: 'text', text: 'A cat', state: 'done' },
          { type: 'text', text: ' on a mat.', state: 'done' },
        ],
      },
      { id: 'u2', role: 'user', parts: [{ type: 'file', mediaType: 'image/jpeg', url: '/api/files/b' }] },
    ];
    expect(toSnippetMessages(messages)).toEqual([
      { role: 'user', text: 'What is this?', images: [{ url: '/api/files/a', mediaType: 'image/png' }] },
      { role: 'assistant', text: 'A cat on a mat.', images: [] },
      { role: 'user', text: '', images: [{ url: '/api/files/b', mediaType: 'image/jpeg' }] },
    ]);
  });

  it('drops answers without text: failed, stopped before a word, still streaming, or only reasoning', () => {
    const messages: UIMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { id: 'a1', role: 'assistant', parts: [] },
      { id: 'a2', role: 'assistant', parts: [{ type: 'reasoning', text: 'Hmm', state: 'done' }] },
      { id: 'u2', role: 'user', parts: [{ type: 'text', text: 'Hello?' }] },
      { id: 'a3', role: 'assistant', parts: [{ type: 'text', text: '', state: 'streaming' }] },
    ];
    expect(toSnippetMessages(messages)).toEqual([
      { role: 'user', text: 'Hi', images: [] },
      { role: 'user', text: 'Hello?', images: [] },
    ]);
  });
});

describe('requestMessagesOf', () => {
  const user = (text: string): SnippetMessage => ({ role: 'user', text, images: [] });
  const answer = (text: string): SnippetMessage => ({ role: 'assistant', text, images: [] });

  it('keeps everything up to the last question: the request that produced the last answer', () => {
    const messages = [user('q1'), answer('a1'), user('q2'), answer('a2')];
    expect(requestMessagesOf(messages)).toEqual({ messages: messages.slice(0, 3), placeholderQuestion: false });
  });

  it('keeps a last question that has no answer yet', () => {
    const messages = [user('q1'), answer('a1'), user('q2')];
    expect(requestMessagesOf(messages)).toEqual({ messages, placeholderQuestion: false });
  });

  it('asks a placeholder question when the chat has none', () => {
    expect(requestMessagesOf([])).toEqual({ messages: [user(PLACEHOLDER_QUESTION)], placeholderQuestion: true });
  });
});

describe('buildApiCallSnippets: image files', () => {
  it('names each image once, in order of appearance, with an extension from its media type', () => {
    const { images } = buildApiCallSnippets(conversation, { stream: false });
    expect(images).toEqual([
      { fileName: 'image-1.png', url: '/api/files/png1', mediaType: 'image/png' },
      { fileName: 'image-2.jpg', url: '/api/files/jpg1', mediaType: 'image/jpeg' },
    ]);
  });

  it('leaves out images of answers the request does not carry', () => {
    const { images } = buildApiCallSnippets(
      {
        ...conversation,
        messages: [
          { role: 'user', text: 'q', images: [{ url: '/api/files/a', mediaType: 'image/webp' }] },
          { role: 'assistant', text: 'a', images: [] },
        ],
      },
      { stream: false },
    );
    expect(images.map((i) => i.fileName)).toEqual(['image-1.webp']);
  });

  it('never writes a strange media type into code', () => {
    const odd: ConversationForSnippet = {
      ...conversation,
      settings: {},
      messages: [{ role: 'user', text: 'q', images: [{ url: '/api/files/x', mediaType: 'image/png"; $(touch x)' }] }],
    };
    const snippets = buildApiCallSnippets(odd, { stream: false });
    expect(snippets.images).toEqual([
      { fileName: 'image-1.img', url: '/api/files/x', mediaType: 'application/octet-stream' },
    ]);
    const bytes = Buffer.from('some bytes');
    const { body } = runCurl(snippets.curl, 'bash', { 'image-1.img': bytes });
    expect(body).toEqual({
      model: 'gemini-3-flash-preview',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: dataUrl(bytes, 'application/octet-stream') } },
            { type: 'text', text: 'q' },
          ],
        },
      ],
    });
  });
});

describe.each([false, true])('buildApiCallSnippets with stream: %s', (stream) => {
  const snippets = buildApiCallSnippets(conversation, { stream });

  it.each(['bash', 'sh'] as const)('curl, run by %s, sends exactly the request, images read from files', (shell) => {
    const run = runCurl(snippets.curl, shell);
    expect(run.body).toEqual(expectedBody(stream));
    expect(run.args).toEqual([
      '-sS',
      ...(stream ? ['-N'] : []),
      `${BASE_URL}/chat/completions`,
      '-H',
      `Authorization: Bearer ${API_KEY}`,
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      '@-',
    ]);
    // Nothing in the text or the key was run as a command.
    expect(spawnSync('ls', [run.dir], { encoding: 'utf8' }).stdout.split('\n').sort()).toEqual(
      ['', 'curl-args.txt', 'image-1.png', 'image-2.jpg'].sort(),
    );
  });

  it('JavaScript, run by node, sends exactly the request and prints the answer', () => {
    const run = runJavaScript(snippets.javascript);
    expect(run.body).toEqual(expectedBody(stream));
    expect(run.options).toEqual({ baseURL: BASE_URL, apiKey: API_KEY });
    expect(run.stdout).toBe(stream ? 'streamed answer\n' : 'stub answer\n');
  });

  it('Python, run by python3, sends exactly the request and prints the answer', () => {
    expect(pythonParses(snippets.python)).toBe(true);
    const run = runPython(snippets.python);
    expect(run.body).toEqual(expectedBody(stream));
    expect(run.options).toEqual({ base_url: BASE_URL, api_key: API_KEY });
    expect(run.stdout).toBe(stream ? 'streamed answer\n' : 'stub answer\n');
  });

  it('holds no key, only the environment variable', () => {
    for (const code of [snippets.curl, snippets.javascript, snippets.python]) {
      expect(code).toContain('IRIS_API_KEY');
      expect(code).not.toContain(API_KEY);
    }
  });
});

describe('buildApiCallSnippets without images or settings', () => {
  const plain: ConversationForSnippet = {
    baseUrl: BASE_URL,
    model: 'gemini-2.5-flash',
    settings: { systemPrompt: '' },
    messages: [
      { role: 'user', text: HOSTILE, images: [] },
      { role: 'assistant', text: ANSWER, images: [] },
      { role: 'user', text: 'Again: $(touch pwned)', images: [] },
    ],
  };
  const expected = {
    model: 'gemini-2.5-flash',
    messages: [
      { role: 'user', content: HOSTILE },
      { role: 'assistant', content: ANSWER },
      { role: 'user', content: 'Again: $(touch pwned)' },
    ],
  };

  it('sends plain string contents and leaves unset settings out, in every language', () => {
    const snippets = buildApiCallSnippets(plain, { stream: false });
    expect(snippets.images).toEqual([]);
    expect(runCurl(snippets.curl, 'bash', {}).body).toEqual(expected);
    expect(runCurl(snippets.curl, 'sh', {}).body).toEqual(expected);
    expect(runJavaScript(snippets.javascript).body).toEqual(expected);
    expect(runPython(snippets.python).body).toEqual(expected);
  });

  it('asks a runnable placeholder question for a chat without one', () => {
    const snippets = buildApiCallSnippets({ ...plain, messages: [] }, { stream: false });
    expect(snippets.placeholderQuestion).toBe(true);
    const body = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: PLACEHOLDER_QUESTION }] };
    expect(runCurl(snippets.curl, 'bash', {}).body).toEqual(body);
    expect(runJavaScript(snippets.javascript).body).toEqual(body);
    expect(runPython(snippets.python).body).toEqual(body);
  });
});
