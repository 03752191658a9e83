'use client';

import { KeyRound } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { requestJson } from '@/lib/client/api-error';

/** Shown instead of the chat when API_KEYS is set and this browser has not signed in. */
export function SignInScreen() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('key') ?? '');
    if (!key.trim()) {
      setError('Enter the access key you were given.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      await requestJson('/api/auth/sign-in', { method: 'POST', body: JSON.stringify({ key }) });
      // A full load, so no cache of the page can hold anything from before this owner signed in.
      window.location.reload();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Sign-in failed.');
      setPending(false);
    }
  }

  return (
    <main className="grid min-h-dvh place-items-center px-6">
      <form onSubmit={signIn} className="flex w-full max-w-sm flex-col gap-5" aria-labelledby="sign-in-title">
        <div className="flex flex-col gap-2">
          <h1 id="sign-in-title" className="text-3xl font-semibold tracking-tight text-accent-fg">
            Iris
          </h1>
          <p className="text-fg-muted">
            This server is private. Sign in with an access key from its operator (one of its <code>API_KEYS</code>).
          </p>
        </div>
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          Access key
          <input
            name="key"
            type="password"
            autoComplete="current-password"
            required
            // biome-ignore lint/a11y/noAutofocus: the only thing to do on this screen is to type the key
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'sign-in-error' : undefined}
            className="h-11 rounded-lg border border-line-strong bg-surface px-3 font-normal focus-visible:outline-2 focus-visible:outline-iris-500"
          />
        </label>
        {error && (
          <p id="sign-in-error" role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" size="lg" disabled={pending}>
          <KeyRound aria-hidden className="size-4" />
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
