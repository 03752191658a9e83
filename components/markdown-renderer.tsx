'use client';

/**
 * The heavy half of <Markdown>: streamdown (markdown parsing, sanitizing). Only components/markdown.tsx imports
 * this, through a dynamic import, so none of it is in the first-load bundle. Shiki loads later still, when the
 * first code block renders (see lazy-code-highlighter.ts), and then only the grammars that blocks need.
 */

import { createMathPlugin } from '@streamdown/math';
import { ImageIcon } from 'lucide-react';
import type { ComponentProps, ElementType, JSX } from 'react';
import {
  CodeBlock,
  type Components,
  type ControlsConfig,
  type ExtraProps,
  type LinkSafetyConfig,
  type PluginConfig,
  Streamdown,
  useIsCodeFenceIncomplete,
} from 'streamdown';
import { CopyButton } from './copy-button';
import { lazyCodeHighlighter } from './lazy-code-highlighter';
import { codeFenceLanguage, imageAsLink, linkKind, plainTextOf } from './markdown-content';
import 'katex/dist/katex.min.css';

export interface MarkdownRendererProps {
  text: string;
  streaming: boolean;
}

type MarkdownElementProps<Tag extends keyof JSX.IntrinsicElements> = ComponentProps<Tag> & ExtraProps;

const focusRing = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500';
const linkStyle = `font-medium text-accent-fg underline underline-offset-2 hover:text-fg ${focusRing}`;

function MarkdownLink({
  node: _node,
  href,
  children,
  target: _target,
  rel: _rel,
  className: _className,
  ...attributes
}: MarkdownElementProps<'a'>) {
  const kind = linkKind(href);
  // A link still being streamed has no real URL yet; show its text without making it clickable.
  if (kind === 'incomplete') return <span className="font-medium text-accent-fg">{children}</span>;
  // rehype-harden marks every link target=_blank; footnote jumps must stay in this tab.
  if (kind === 'in-page') {
    return (
      <a {...attributes} href={href} className={linkStyle}>
        {children}
      </a>
    );
  }
  return (
    <a {...attributes} href={href} target="_blank" rel="noopener noreferrer" className={linkStyle}>
      {children}
    </a>
  );
}

function MarkdownImage({ src, alt }: MarkdownElementProps<'img'>) {
  const label = alt?.trim() || 'Image';
  const link = imageAsLink(src);
  if (!link) return <span className="text-fg-muted italic">[{label}]</span>;
  return (
    <a
      href={link.href}
      target="_blank"
      rel="noopener noreferrer"
      className={`inline-flex max-w-full items-center gap-1.5 align-middle ${linkStyle}`}
    >
      <ImageIcon aria-hidden="true" className="size-4 shrink-0" />
      <span className="wrap-anywhere">{label}</span>
      {link.host && <span className="font-normal text-fg-muted">({link.host})</span>}
    </a>
  );
}

function MarkdownCode({ node: _node, className, children, ...attributes }: MarkdownElementProps<'code'>) {
  const isIncomplete = useIsCodeFenceIncomplete();
  // streamdown's <pre> marks the <code> inside it with data-block; anything else is inline code.
  if (!('data-block' in attributes)) {
    return <code className="rounded bg-surface-muted px-1.5 py-0.5 font-mono text-[0.875em]">{children}</code>;
  }
  const language = codeFenceLanguage(className);
  const source = plainTextOf(children).replace(/\n+$/, '');
  return (
    <CodeBlock code={source} language={language} isIncomplete={isIncomplete} lineNumbers={false}>
      <CopyButton text={source} label={language ? `Copy ${language} code` : 'Copy code'} />
    </CodeBlock>
  );
}

/** GFM task-list boxes: read-only, and labelled so screen readers (and axe) know what the box is. */
function MarkdownInput({ node: _node, type, checked, ...attributes }: MarkdownElementProps<'input'>) {
  if (type !== 'checkbox') return <input {...attributes} type={type} />;
  return (
    <input
      type="checkbox"
      checked={Boolean(checked)}
      disabled
      readOnly
      aria-label={checked ? 'Done' : 'Not done'}
      className="mr-1.5 size-3.5 translate-y-px accent-iris-600"
    />
  );
}

function MarkdownTable({ node: _node, children, ...attributes }: MarkdownElementProps<'table'>) {
  return (
    <div className="my-4 overflow-x-auto rounded-lg border border-line">
      <table {...attributes} className="w-full border-collapse text-left text-sm">
        {children}
      </table>
    </div>
  );
}

type StyledTag =
  | 'thead'
  | 'tr'
  | 'th'
  | 'td'
  | 'ul'
  | 'ol'
  | 'blockquote'
  | 'hr'
  | 'h1'
  | 'h2'
  | 'h3'
  | 'h4'
  | 'h5'
  | 'h6';

/**
 * Our classes replace streamdown's, whose colours come from tokens this app lacks. Classes the markdown itself
 * carries are kept: GFM marks task lists (contains-task-list) and the hidden footnotes heading (sr-only).
 */
function withClass<Tag extends StyledTag>(tag: Tag, className: string) {
  // `node` is streamdown's syntax-tree node; it must not reach the DOM as an attribute.
  // biome-ignore lint/correctness/noComponentHookFactories: called only at module scope below, once per tag, so each component is stable
  return function StyledElement({ node: _node, className: fromMarkdown, ...props }: MarkdownElementProps<Tag>) {
    const Element = tag as ElementType;
    return <Element {...props} className={fromMarkdown ? `${className} ${fromMarkdown}` : className} />;
  };
}

// GFM puts task items in the same list as plain ones: only the task items lose their bullet.
const TASK_ITEMS = '[&>li.task-list-item]:list-none';

const COMPONENTS: Components = {
  a: MarkdownLink,
  img: MarkdownImage,
  code: MarkdownCode,
  input: MarkdownInput,
  // <picture><source srcset> from raw HTML could fetch a remote image too; images are links here.
  source: () => null,
  table: MarkdownTable,
  thead: withClass('thead', 'border-line border-b bg-surface-sunken'),
  tr: withClass('tr', 'border-line border-t first:border-t-0'),
  th: withClass('th', 'px-3 py-2 font-semibold'),
  td: withClass('td', 'px-3 py-2 align-top'),
  ul: withClass('ul', `list-outside list-disc pl-6 [li_&]:mt-1 ${TASK_ITEMS}`),
  ol: withClass('ol', `list-outside list-decimal pl-6 [li_&]:mt-1 ${TASK_ITEMS}`),
  blockquote: withClass('blockquote', 'border-line-strong border-l-4 pl-4 text-fg-muted italic'),
  hr: withClass('hr', 'my-6 border-line'),
  // Chat answers sit in a narrow column: headings stay close to body size.
  h1: withClass('h1', 'mt-6 mb-2 font-semibold text-xl'),
  h2: withClass('h2', 'mt-6 mb-2 font-semibold text-lg'),
  h3: withClass('h3', 'mt-5 mb-2 font-semibold text-base'),
  h4: withClass('h4', 'mt-4 mb-1 font-semibold text-base'),
  h5: withClass('h5', 'mt-4 mb-1 font-semibold text-sm'),
  h6: withClass('h6', 'mt-4 mb-1 font-semibold text-sm text-fg-muted'),
};

// streamdown's own widgets are styled with shadcn tokens (border-border, bg-sidebar…) that this app does not
// define; these descendant rules give the code block it still draws the app's colour tokens instead.
const CODE_BLOCK_PALETTE = [
  '[&_[data-streamdown=code-block]]:border-line [&_[data-streamdown=code-block]]:bg-surface-sunken',
  '[&_[data-streamdown=code-block-header]]:text-fg-muted',
  '[&_[data-streamdown=code-block-actions]]:border-transparent [&_[data-streamdown=code-block-actions]]:bg-transparent',
  '[&_[data-streamdown=code-block-body]]:border-line [&_[data-streamdown=code-block-body]]:bg-canvas',
  // The shiki theme paints its own background on <pre>; let the body's colour show instead.
  '[&_[data-streamdown=code-block-body]>pre]:bg-transparent',
].join(' ');

const ROOT_CLASS = `min-w-0 wrap-break-word ${CODE_BLOCK_PALETTE}`;

// Gemini writes inline math between single dollars ($x^2$), so they count as math here too.
const PLUGINS: PluginConfig = {
  code: lazyCodeHighlighter,
  math: createMathPlugin({ singleDollarTextMath: true, errorColor: 'var(--color-danger)' }),
};
// Table/image/mermaid toolbars off (their buttons have no focus styles and rely on the secure-only clipboard);
// code blocks get our own CopyButton above.
const CONTROLS: ControlsConfig = false;
// Links open directly in a new tab instead of behind streamdown's confirmation modal.
const LINK_SAFETY: LinkSafetyConfig = { enabled: false };

export function MarkdownRenderer({ text, streaming }: MarkdownRendererProps) {
  return (
    <Streamdown
      mode="streaming"
      isAnimating={streaming}
      // remend closes unfinished syntax while text arrives; a finished answer is shown exactly as written
      // (otherwise an odd number of `__` in prose, e.g. Python dunders, would gain a stray closing marker).
      parseIncompleteMarkdown={streaming}
      plugins={PLUGINS}
      controls={CONTROLS}
      linkSafety={LINK_SAFETY}
      components={COMPONENTS}
      lineNumbers={false}
      // A long answer's code stays in the page's own scroll rather than a nested 400 px scroller.
      codeBlockMaxHeight={0}
      className={ROOT_CLASS}
    >
      {text}
    </Streamdown>
  );
}
