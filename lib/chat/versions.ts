import type { UIMessage } from 'ai';
import type { MessageMetadata } from '@/lib/chat/ui-messages';

/** Adds the versions switch's data to a UI message; a message without other versions carries none. */
export function withVersions(
  message: UIMessage<MessageMetadata>,
  versions: readonly string[] | undefined,
): UIMessage<MessageMetadata> {
  if (!versions || versions.length < 2) return message;
  return { ...message, metadata: { ...message.metadata, versions: [...versions] } };
}
