import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';

/** Every button of the app: what it is for (variant) and how big it is (size); nothing else is styled per use. */
export const buttonVariants = cva(
  'inline-flex shrink-0 items-center justify-center gap-2 rounded-lg text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-iris-500 disabled:pointer-events-none disabled:opacity-50',
  {
    variants: {
      variant: {
        primary: 'bg-iris-600 text-white hover:bg-iris-700',
        secondary: 'border border-line-strong bg-surface hover:bg-surface-muted',
        ghost: 'text-fg-muted hover:bg-surface-muted hover:text-fg',
        danger: 'bg-red-600 text-white hover:bg-red-700',
        /** The strongest contrast the theme has (the composer's stop button). */
        inverted: 'bg-fg text-canvas hover:bg-fg-soft',
        /** On a dark photo backdrop (the lightbox), whatever the theme. */
        overlay: 'bg-white/15 text-white hover:bg-white/25',
        /** A small control laid over a thumbnail (remove an attachment). */
        thumb: 'bg-zinc-900/75 text-white hover:bg-zinc-900',
        /** Words in running text (Retry, Continue, Dismiss): underlined on hover, coloured by their context. */
        link: 'font-medium underline-offset-2 hover:underline',
        /** No look of its own: what it wraps is the look (an image thumbnail, a menu row, a tab). */
        bare: '',
      },
      size: {
        xs: 'h-7 min-w-7 gap-1 rounded-md px-1.5 text-xs',
        inline: 'h-auto rounded-md px-1.5 py-0.5',
        none: 'h-auto p-0',
        sm: 'h-8 px-3',
        md: 'h-9 px-4',
        lg: 'h-11 px-4 text-base',
        icon: 'size-9 p-0',
        'icon-sm': 'size-8 p-0',
        'icon-xs': 'size-6 p-0',
        'icon-lg': 'size-11 p-0',
      },
      shape: { rounded: '', pill: 'rounded-full' },
    },
    defaultVariants: { variant: 'secondary', size: 'md', shape: 'rounded' },
  },
);

export type ButtonProps = ComponentProps<'button'> & VariantProps<typeof buttonVariants>;

export function Button({ className, variant, size, shape, type = 'button', ...props }: ButtonProps) {
  return (
    <button
      data-slot="button"
      type={type}
      className={cn(buttonVariants({ variant, size, shape }), className)}
      {...props}
    />
  );
}
