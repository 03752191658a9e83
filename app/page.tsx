export default function Home() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-6 px-6 py-16">
      <h1 className="text-4xl font-semibold tracking-tight text-iris-700 dark:text-iris-100">Iris</h1>
      <p className="text-lg text-zinc-600 dark:text-zinc-300">Ask Gemini about your images.</p>
    </main>
  );
}
