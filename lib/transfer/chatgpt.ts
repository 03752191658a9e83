import { z } from 'zod';
import { parseBody } from '@/lib/http/parse-body';
import type { IrisChat, IrisMessage } from '@/lib/transfer/iris-format';

/**
 * ChatGPT's data export (`conversations.json`): an array of conversations, each a tree of nodes (`mapping`) with
 * `parent` links and the end of the shown branch in `current_node`. Only what a chat can hold is taken: the user's
 * and the assistant's text, in the same tree. System, tool and hidden messages are left out (their children move up
 * to the nearest message kept), and images, which the export keeps in separate files, are named instead.
 */

const ContentPart = z.union([
  z.string(),
  z.looseObject({ content_type: z.string().optional(), text: z.string().optional() }),
]);

const Node = z.looseObject({
  id: z.string().optional(),
  parent: z.string().nullable().optional(),
  children: z.array(z.string()).optional(),
  message: z
    .looseObject({
      author: z.looseObject({ role: z.string() }),
      create_time: z.number().nullable().optional(),
      content: z
        .looseObject({
          content_type: z.string().optional(),
          parts: z.array(ContentPart.or(z.null())).optional(),
          text: z.string().optional(),
        })
        .optional(),
      metadata: z
        .looseObject({
          is_visually_hidden_from_conversation: z.boolean().optional(),
          model_slug: z.string().nullable().optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

const Conversation = z.looseObject({
  title: z.string().nullable().optional(),
  create_time: z.number().nullable().optional(),
  mapping: z.record(z.string(), Node),
  current_node: z.string().nullable().optional(),
});

export const ChatGptExport = z.array(z.unknown()).min(1).max(10_000);

/** True when the value looks like ChatGPT's export (an array of conversations with a `mapping`), to pick the parser. */
export function looksLikeChatGpt(value: unknown): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null && 'mapping' in first;
}

/** The conversations as Iris chats (without model: the importer gives them the default one). */
export function chatsFromChatGpt(value: unknown): Omit<IrisChat, 'model'>[] {
  const conversations = Array.isArray(value) ? parseBody(ChatGptExport, value) : [value];
  return conversations.map((raw, index) => fromConversation(parseBody(Conversation, raw, `[${index}]`)));
}

function fromConversation(conversation: z.infer<typeof Conversation>): Omit<IrisChat, 'model'> {
  const nodes = conversation.mapping;
  const kept = new Map<string, IrisMessage>();
  // The nearest kept ancestor of a node (memoised), so dropped system and tool nodes do not break the tree.
  const keptAncestor = new Map<string, string | null>();
  const nearestKept = (id: string | null | undefined, depth = 0): string | null => {
    if (!id || depth > 100_000) return null;
    if (kept.has(id)) return id;
    const known = keptAncestor.get(id);
    if (known !== undefined) return known;
    const result = nearestKept(nodes[id]?.parent, depth + 1);
    keptAncestor.set(id, result);
    return result;
  };
  for (const id of walkOrder(nodes)) {
    const node = nodes[id];
    const message = node?.message;
    if (!node || !message) continue;
    const role = message.author.role;
    if (role !== 'user' && role !== 'assistant') continue;
    if (message.metadata?.is_visually_hidden_from_conversation) continue;
    const text = textOf(message.content);
    if (!text.trim()) continue;
    kept.set(id, {
      id,
      parentId: nearestKept(node.parent),
      role,
      parts: [{ type: 'text', text }],
      status: 'complete',
      model: role === 'assistant' ? (message.metadata?.model_slug ?? null) : null,
      ...(message.create_time ? { createdAt: new Date(message.create_time * 1000).toISOString() } : {}),
    });
  }
  return {
    title: conversation.title?.trim() || 'Imported chat',
    ...(conversation.create_time ? { createdAt: new Date(conversation.create_time * 1000).toISOString() } : {}),
    current: nearestKept(conversation.current_node),
    messages: [...kept.values()],
    files: [],
  };
}

/** Parents before children: from each root down, children in the order they were written. */
function walkOrder(nodes: Record<string, z.infer<typeof Node>>): string[] {
  const children = new Map<string | null, string[]>();
  for (const [id, node] of Object.entries(nodes)) {
    const parent = node.parent && nodes[node.parent] ? node.parent : null;
    const list = children.get(parent) ?? [];
    list.push(id);
    children.set(parent, list);
  }
  const time = (id: string) => nodes[id]?.message?.create_time ?? 0;
  const order: string[] = [];
  const seen = new Set<string>();
  const stack = [...(children.get(null) ?? [])].sort((a, b) => time(b) - time(a));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    stack.push(...[...(children.get(id) ?? [])].sort((a, b) => time(b) - time(a)));
  }
  return order;
}

function textOf(content: NonNullable<z.infer<typeof Node>['message']>['content']): string {
  if (!content) return '';
  if (content.parts) {
    return content.parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part && typeof part.text === 'string') return part.text;
        if (part?.content_type === 'image_asset_pointer') return '[An image from ChatGPT, not included in its export.]';
        return '';
      })
      .filter((text) => text !== '')
      .join('\n');
  }
  return content.text ?? '';
}
