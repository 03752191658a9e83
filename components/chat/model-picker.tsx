'use client';

import { useModels } from '@/lib/client/use-models';
import { cn } from '@/lib/cn';

/**
 * A native select: keyboard, screen readers and phones handle it well, and the list is short.
 * The chat's current model stays listed even when Gemini no longer offers it, so the choice is visible.
 */
export function ModelPicker({
  value,
  onChange,
  disabled,
  className,
}: {
  value: string;
  onChange: (model: string) => void;
  disabled?: boolean;
  className?: string;
}) {
  const { models, error } = useModels();
  const options = models.some((m) => m.id === value) ? models : [{ id: value, displayName: value }, ...models];
  return (
    <label className={cn('flex min-w-0 items-center gap-2 text-sm', className)}>
      <span className="sr-only">Model</span>
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled}
        data-testid="model-picker"
        title={error ? `The model list could not be loaded: ${error.message}` : 'Model'}
        className="h-9 min-w-0 truncate max-sm:w-full rounded-lg border border-line-strong bg-surface px-2 text-sm focus-visible:outline-2 focus-visible:outline-iris-500 sm:max-w-60"
      >
        {options.map((model) => (
          <option key={model.id} value={model.id}>
            {model.displayName ?? model.id}
          </option>
        ))}
      </select>
    </label>
  );
}
