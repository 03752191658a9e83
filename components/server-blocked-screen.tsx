/** Production without API_KEYS refuses every call; the page says so instead of showing a chat that cannot work. */
export function ServerBlockedScreen() {
  return (
    <main className="grid min-h-dvh place-items-center px-6">
      <div role="alert" className="flex max-w-lg flex-col gap-3">
        <h1 className="text-3xl font-semibold tracking-tight text-accent-fg">Iris is not set up</h1>
        <p className="text-fg-soft">
          This server runs in production without <code>API_KEYS</code>, so it refuses every request rather than open
          your Gemini key to anyone. Its operator must set <code>API_KEYS</code> (comma-separated access keys) and
          restart it.
        </p>
      </div>
    </main>
  );
}
