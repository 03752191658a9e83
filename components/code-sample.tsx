export function CodeSample({ title, code }: { title: string; code: string }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-sm font-medium text-fg-muted">{title}</h3>
      <section
        aria-label={`${title} example`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll long lines sideways (WCAG 2.1.1)
        tabIndex={0}
        className="overflow-x-auto rounded-lg bg-zinc-950 text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500"
      >
        <pre className="w-max min-w-full p-4 text-sm leading-relaxed">
          <code>{code}</code>
        </pre>
      </section>
    </section>
  );
}
