import type { ComponentProps } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A button that shows only an icon: its label is both its accessible name and its tooltip, so no icon button
 * can ship unlabelled.
 */
export function IconButton({
  label,
  size = 'md',
  ...props
}: Omit<ComponentProps<typeof Button>, 'aria-label' | 'title' | 'size'> & { label: string; size?: 'md' | 'sm' }) {
  return (
    <Button variant="ghost" size={size === 'md' ? 'icon' : 'icon-sm'} aria-label={label} title={label} {...props} />
  );
}
