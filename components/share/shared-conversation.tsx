import { Markdown } from '@/components/markdown';
import type { ShareSnapshot } from '@/lib/storage/types';

/** A shared snapshot, read-only: the questions with their images and the answers, nothing to act on. */
export function SharedConversation({ shareId, snapshot }: { shareId: string; snapshot: ShareSnapshot }) {
  return (
    <div role="log" aria-label="Messages" className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-6">
      {keyed(snapshot.messages).map(({ item: message, key }) => {
        const text = message.parts
          .flatMap((part) => (part.type === 'text' ? [part.text] : []))
          .join(message.role === 'user' ? '\n' : '');
        const images = message.parts.flatMap((part) => (part.type === 'image' ? [part] : []));
        if (message.role === 'user') {
          return (
            <article
              key={key}
              data-testid="message"
              data-role="user"
              aria-label="Question"
              className="flex flex-col items-end gap-2"
            >
              {images.length > 0 && (
                <ul className="flex flex-wrap justify-end gap-2">
                  {keyed(images).map(({ item: image, key: imageKey }, place) => (
                    <li key={imageKey}>
                      {/* biome-ignore lint/performance/noImgElement: served through the share only */}
                      <img
                        src={`/s/${shareId}/files/${image.index}`}
                        alt={`Attachment ${place + 1}`}
                        className="max-h-64 max-w-full rounded-xl border border-line object-contain"
                      />
                    </li>
                  ))}
                </ul>
              )}
              {text && (
                <div className="max-w-[85%] rounded-2xl bg-surface-muted px-4 py-2.5 break-words whitespace-pre-wrap">
                  {text}
                </div>
              )}
            </article>
          );
        }
        return (
          <article
            key={key}
            data-testid="message"
            data-role="assistant"
            aria-label="Gemini's answer"
            className="flex flex-col gap-2"
          >
            {text ? (
              <div data-testid="answer-text" className="min-w-0">
                <Markdown text={text} streaming={false} />
              </div>
            ) : (
              <p className="text-sm text-fg-muted">(No answer.)</p>
            )}
            <p className="text-xs text-fg-muted">
              {message.model ?? snapshot.model}
              {message.status === 'stopped' ? ' · stopped' : message.status === 'error' ? ' · failed' : ''}
            </p>
          </article>
        );
      })}
    </div>
  );
}

/** A snapshot never reorders, and the same image may appear twice: places are the keys. */
function keyed<T>(items: readonly T[]): { item: T; key: string }[] {
  return items.map((item, place) => ({ item, key: `at-${place}` }));
}
