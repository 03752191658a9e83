import type { ComponentProps } from 'react';

const SIZES = { md: 'size-9', sm: 'size-8' } as const;

/**
 * A button that shows only an icon: its label is both its accessible name and its tooltip, so no icon button
 * can ship unlabelled.
 */
export function IconButton({
  label,
  size = 'md',
  className = '',
  children,
  ...props
}: Omit<ComponentProps<'button'>, 'aria-label' | 'title'> & { label: string; size?: keyof typeof SIZES }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={`grid ${SIZES[size]} place-items-center rounded-lg text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-iris-500 disabled:opacity-40 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 ${className}`}
      {...props}
    >
      {children}
    </button>
  );
}
