'use client';

import { Upload } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { importChatsFile } from '@/lib/client/share-api';
import { refreshChatList } from '@/lib/client/use-chat-list';

/** Imports chats from a file: Iris's chat JSON (as exported) or ChatGPT's conversations.json; opens the first. */
export function ImportChatsButton({ onImported }: { onImported?: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  async function importFile(file: File) {
    setState({ busy: true, error: null });
    try {
      const ids = await importChatsFile(file);
      setState({ busy: false, error: null });
      void refreshChatList();
      const first = ids[0];
      if (first) {
        router.push(`/c/${encodeURIComponent(first)}`);
        onImported?.();
      }
    } catch (error) {
      setState({ busy: false, error: `Could not import: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  return (
    <div className="flex flex-col gap-1">
      <Button
        variant="ghost"
        size="sm"
        className="justify-start"
        onClick={() => input.current?.click()}
        disabled={state.busy}
        data-testid="import-chats"
      >
        <Upload aria-hidden className="size-4" />
        {state.busy ? 'Importing…' : 'Import chats'}
      </Button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="hidden"
        aria-label="Chats to import (Iris JSON or ChatGPT conversations.json)"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) void importFile(file);
        }}
      />
      {state.error && (
        <p role="alert" className="px-1 text-xs text-danger break-words">
          {state.error}
        </p>
      )}
    </div>
  );
}
