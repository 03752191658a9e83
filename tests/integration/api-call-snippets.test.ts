import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiCallSnippets, type ConversationForSnippet } from '@/lib/client/api-call-snippets';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { irisUrl, jsonEvents, newTag, parseSse, postChat, upstreamRequests } from '../support/iris.ts';
import { dataUrl, makePng } from '../support/png.ts';

/**
 * The "View as API call" snippets, executed for real: the curl script by bash with the real curl, the JavaScript
 * by Node with the real `openai` package, against the production build and the fake Gemini. What reaches Gemini
 * must be the chat's text, byte for byte, and the image file's bytes.
 */

const run = promisify(execFile);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const HOSTILE = [
  `single ' double " backslash \\ and \\\\ two`,
  `command $(touch pwned) and \`touch pwned\` and \${HOME} and $IRIS_API_KEY and $$`,
  `escapes as text: \\n \\t \\u0041 %s {0} \${image1} {image_1}`,
  'JSON',
  'EOF',
  'history !! !x',
  'tab\there, carriage return\r\nand separators \u2028 \u2029, and 日本語 🙂',
].join('\n');
const SYSTEM = `Answer briefly; $(whoami) "quoted" 'single' \\ \`tick\``;
const ANSWER = `An earlier answer with "quotes", $(date), \`ticks\` and \\backslashes\\`;

// Level-0 deflate keeps it large: its base64 is far beyond what one command-line argument may hold (128 KiB),
// so a script that put the body on curl's command line would fail.
const PNG = makePng(400, 300, 11);

let workDir: string;

beforeAll(async () => {
  // The server's first request with a large image is slow (code loaded and compiled on first use); on a busy
  // machine that alone can outlast the test server's 4 s UPSTREAM_TIMEOUT_MS, which is not what these tests are
  // about. Its outcome does not matter.
  const warmUp = await postChat({
    model: 'gemini-3-flash-preview',
    messages: [
      { role: 'system', content: 'Warm up.' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: dataUrl(makePng(400, 300, 12)) } }] },
    ],
  });
  await warmUp.arrayBuffer();
  workDir = mkdtempSync(path.join(tmpdir(), 'iris-api-call-snippets-'));
  // So `import OpenAI from 'openai'` finds the project's package (ESM ignores NODE_PATH).
  symlinkSync(path.resolve(import.meta.dirname, '../../node_modules'), path.join(workDir, 'node_modules'), 'dir');
  writeFileSync(path.join(workDir, 'image-1.png'), PNG);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function conversationFor(tag: string): ConversationForSnippet {
  return {
    baseUrl: `${irisUrl()}/v1`,
    model: 'gemini-3-flash-preview',
    settings: { systemPrompt: SYSTEM, temperature: 0.3, maxTokens: 300 },
    messages: [
      {
        role: 'user',
        text: `First [tag:${tag}] ${HOSTILE}`,
        images: [{ url: '/api/files/f1', mediaType: 'image/png' }],
      },
      { role: 'assistant', text: ANSWER, images: [] },
      { role: 'user', text: `And again: ${HOSTILE}`, images: [] },
      { role: 'assistant', text: 'The answer this request produced.', images: [] },
    ],
  };
}

// A clean environment: no proxy settings or OPENAI_* variables of the machine running the tests.
const snippetEnv = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'test',
  PATH: process.env.PATH,
  HOME: workDir,
  IRIS_API_KEY: GATEWAY_KEYS[0],
});

type GeminiPart = { text?: string; inlineData?: { mimeType: string; data: string } };
type GeminiBody = {
  contents: Array<{ role: string; parts: GeminiPart[] }>;
  systemInstruction?: { parts: GeminiPart[] };
  generationConfig?: { temperature?: number; maxOutputTokens?: number };
};

/** What Gemini got for this tag: the conversation as roles and texts, the images, the settings. */
async function expectGeminiReceivedTheChat(tag: string) {
  const [upstream, ...more] = await upstreamRequests(tag);
  expect(more).toEqual([]);
  expect(upstream?.images).toEqual([{ mimeType: 'image/png', bytes: PNG.length, sha256: sha256(PNG) }]);
  const body = upstream?.body as GeminiBody;
  const texts = (parts: GeminiPart[] = []) => parts.flatMap((p) => (p.text === undefined ? [] : [p.text]));
  expect(body.contents.map((c) => ({ role: c.role, texts: texts(c.parts) }))).toEqual([
    { role: 'user', texts: [`First [tag:${tag}] ${HOSTILE}`] },
    { role: 'model', texts: [ANSWER] },
    { role: 'user', texts: [`And again: ${HOSTILE}`] },
  ]);
  // The image comes before the question's text, as the chat's composer orders them.
  expect(body.contents[0]?.parts[0]?.inlineData?.mimeType).toBe('image/png');
  expect(texts(body.systemInstruction?.parts).join('')).toBe(SYSTEM);
  expect(body.generationConfig).toMatchObject({ temperature: 0.3, maxOutputTokens: 300 });
}

const fakeAnswerAbout = (png: Buffer) =>
  new RegExp(`^Fake Gemini received 1 image \\(image/png ${png.length} bytes sha256 ${sha256(png).slice(0, 12)}\\)`);

describe('curl snippet, run by bash with the real curl', () => {
  it('gets the answer to the chat, image bytes and hostile text intact', async () => {
    const tag = newTag();
    const { curl } = buildApiCallSnippets(conversationFor(tag), { stream: false });
    const { stdout } = await run('bash', ['-c', curl], { cwd: workDir, env: snippetEnv(), timeout: 20_000 });
    const completion = JSON.parse(stdout);
    expect(completion).toMatchObject({ object: 'chat.completion' });
    expect(completion.choices[0].message.content).toMatch(fakeAnswerAbout(PNG));
    await expectGeminiReceivedTheChat(tag);
    // Nothing in the text was run as a command.
    expect(existsSync(path.join(workDir, 'pwned'))).toBe(false);
  });

  it('streams the answer as Server-Sent Events', async () => {
    const tag = newTag();
    const { curl } = buildApiCallSnippets(conversationFor(tag), { stream: true });
    const { stdout } = await run('bash', ['-c', curl], { cwd: workDir, env: snippetEnv(), timeout: 20_000 });
    const chunks = jsonEvents(parseSse(stdout)) as Array<{ choices: Array<{ delta: { content?: string } }> }>;
    expect(stdout.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const answer = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(answer).toMatch(fakeAnswerAbout(PNG));
    await expectGeminiReceivedTheChat(tag);
  });
});

describe('JavaScript snippet, run by node with the real openai package', () => {
  it.each([false, true])('prints the answer (stream: %s), image bytes and hostile text intact', async (stream) => {
    const tag = newTag();
    const { javascript } = buildApiCallSnippets(conversationFor(tag), { stream });
    const script = path.join(workDir, `ask-iris-${tag}.mjs`);
    writeFileSync(script, javascript);
    const { stdout } = await run(process.execPath, [script], { cwd: workDir, env: snippetEnv(), timeout: 20_000 });
    expect(stdout).toMatch(fakeAnswerAbout(PNG));
    expect(stdout.endsWith('\n')).toBe(true);
    await expectGeminiReceivedTheChat(tag);
  });
});
