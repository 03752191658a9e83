export function CodeSample({ title, code }: { title: string; code: string }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-sm font-medium text-zinc-500 dark:text-zinc-400">{title}</h3>
      <pre className="overflow-x-auto rounded-lg bg-zinc-950 p-4 text-sm leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </section>
  );
}
