import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { CodeSample } from '@/components/code-sample';
import { getConfig } from '@/lib/config';
import { publicOrigin } from '@/lib/http/public-url';

// Reads the request's host (without PUBLIC_URL) and the demo flag at request time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Use the API · Iris' };

// What an OpenAI client can call here; the README says what each takes.
const ENDPOINTS = [
  'POST {base}/chat/completions',
  'POST {base}/responses',
  'POST {base}/embeddings',
  'GET {base}/models',
];

export default async function ConnectPage() {
  const config = getConfig();
  const baseUrl = `${publicOrigin(config, await headers())}/v1`;
  const { offlineDemo } = config;
  const missingGeminiKey = !config.gemini.apiKey && !config.auth.geminiKeyPassthrough;
  const noKeys = config.auth.apiKeys.length === 0;
  const keyAdvice = !noKeys
    ? "one of the server's API_KEYS, sent as a Bearer token"
    : config.nodeEnv === 'production'
      ? 'API_KEYS is not set, so this server refuses every call until its operator sets it'
      : 'none needed: API_KEYS is not set, so this development server is open';

  const curl = `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $IRIS_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "gemini-3.8-flash",
    "messages": [{
      "role": "user",
      "content": [
        {"type": "text", "text": "What is in this image?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}
      ]
    }]
  }'`;
  const js = `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: process.env.IRIS_API_KEY });
const answer = await client.chat.completions.create({
  model: 'gemini-3.8-flash',
  messages: [{ role: 'user', content: [
    { type: 'text', text: 'What is in this image?' },
    { type: 'image_url', image_url: { url: 'data:image/png;base64,…' } },
  ] }],
});`;

  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col gap-10 px-6 py-16">
      {offlineDemo && (
        <p
          role="status"
          className="rounded-lg border border-warning-line bg-warning-soft px-4 py-3 text-sm text-warning-fg"
        >
          <strong>Offline demo.</strong> Answers come from a fake Gemini running on this machine, not from Google.
        </p>
      )}
      {missingGeminiKey && (
        <p
          role="alert"
          className="rounded-lg border border-danger-line bg-danger-soft px-4 py-3 text-sm text-danger-fg"
        >
          <strong>No Gemini API key.</strong> Set <code>GOOGLE_GENERATIVE_AI_API_KEY</code> (in <code>.env.local</code>{' '}
          or your host&apos;s settings) and restart. Without one, try <code>npm run demo</code>.
        </p>
      )}
      <header className="flex flex-col gap-3">
        <Link
          href="/"
          className="self-start text-sm text-accent-fg underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-iris-500"
        >
          ← Back to the chat
        </Link>
        <h1 className="text-4xl font-semibold tracking-tight text-accent-fg">Iris API</h1>
        <p className="text-lg text-fg-muted">
          Ask Gemini about your images — from any OpenAI client. Change the base URL and the key; keep your code.
        </p>
      </header>
      <section aria-labelledby="connect" className="flex flex-col gap-4">
        <h2 id="connect" className="text-xl font-medium">
          Connect
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-fg-muted">Base URL</dt>
          <dd>
            <code className="rounded bg-surface-muted px-1.5 py-0.5">{baseUrl}</code>
          </dd>
          <dt className="text-fg-muted">API key</dt>
          <dd>{keyAdvice}</dd>
          <dt className="text-fg-muted">Endpoints</dt>
          <dd className="flex flex-col gap-1">
            {ENDPOINTS.map((endpoint) => (
              <code key={endpoint} className="self-start rounded bg-surface-muted px-1.5 py-0.5">
                {endpoint.replace('{base}', baseUrl)}
              </code>
            ))}
          </dd>
        </dl>
      </section>
      <CodeSample title="curl" code={curl} />
      <CodeSample title="openai (JavaScript)" code={js} />
    </main>
  );
}
