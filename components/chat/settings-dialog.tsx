'use client';

import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { ChatSettings } from '@/lib/client/chats-api';

/** System prompt, temperature and max tokens of one chat. Empty fields mean Gemini's defaults. */
export function SettingsDialog({
  open,
  settings,
  onSave,
  onClose,
}: {
  open: boolean;
  settings: ChatSettings;
  onSave: (settings: ChatSettings) => Promise<void>;
  onClose: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // A reopened dialog starts without the last attempt's error.
  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const systemPrompt = String(form.get('systemPrompt') ?? '').trim();
    const temperature = String(form.get('temperature') ?? '').trim();
    const maxTokens = String(form.get('maxTokens') ?? '').trim();
    const next: ChatSettings = {};
    if (systemPrompt) next.systemPrompt = systemPrompt;
    if (temperature) next.temperature = Number(temperature);
    if (maxTokens) next.maxTokens = Number(maxTokens);
    setSaving(true);
    setError(null);
    try {
      await onSave(next);
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The settings could not be saved.');
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="settings-title" width="md" dismissOnBackdrop={false}>
      {open && (
        <form onSubmit={submit} className="flex flex-col gap-4 p-5">
          <h2 id="settings-title" className="text-lg font-semibold">
            Chat settings
          </h2>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            System prompt
            <textarea
              name="systemPrompt"
              defaultValue={settings.systemPrompt ?? ''}
              rows={4}
              maxLength={20_000}
              placeholder="How Gemini should answer in this chat (optional)"
              className={FIELD}
            />
          </label>
          <div className="grid grid-cols-2 gap-4">
            <NumberField
              label="Temperature"
              name="temperature"
              hint="0–2; lower is more focused."
              min={0}
              max={2}
              step={0.1}
              defaultValue={settings.temperature}
            />
            <NumberField
              label="Max tokens"
              name="maxTokens"
              hint="Longest answer, in tokens."
              min={1}
              max={1_000_000}
              step={1}
              defaultValue={settings.maxTokens}
            />
          </div>
          {error && (
            <p role="alert" className="text-sm text-danger">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" size="md" className="h-10" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" className="h-10" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

const FIELD =
  'rounded-lg border border-line-strong bg-canvas px-3 py-2 font-normal focus-visible:outline-2 focus-visible:outline-iris-500';

/** A number setting; empty means Gemini's default. */
function NumberField({
  label,
  name,
  hint,
  min,
  max,
  step,
  defaultValue,
}: {
  label: string;
  name: string;
  hint: string;
  min: number;
  max: number;
  step: number;
  defaultValue: number | undefined;
}) {
  const hintId = useId();
  return (
    <label className="flex flex-col gap-1.5 text-sm font-medium">
      {label}
      <input
        name={name}
        type="number"
        min={min}
        max={max}
        step={step}
        inputMode={Number.isInteger(step) ? 'numeric' : 'decimal'}
        defaultValue={defaultValue ?? ''}
        placeholder="Default"
        aria-describedby={hintId}
        className={FIELD}
      />
      <span id={hintId} className="text-xs font-normal text-fg-muted">
        {hint}
      </span>
    </label>
  );
}
