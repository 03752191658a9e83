import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { chats, messages } from '@/lib/db/schema';
import { toChat, toMessage } from '@/lib/storage/rows';
import type { Chat, StoredMessage } from '@/lib/storage/types';
import { isId } from '@/lib/storage/validate';

/**
 * A chat's messages form a tree: every message has a parent (null for a first message), and editing a question or
 * regenerating an answer adds a sibling. The current branch starts at the most recently chosen first message and
 * takes, at each step, the most recently chosen child (`chosen`, a counter per chat). A new message is chosen as it
 * is written; switching versions re-chooses a message and its ancestors.
 */

export interface TreeNode {
  id: string;
  parentId: string | null;
  /** Order of writing, which is also the order of versions ("2/3"). */
  position: number;
  chosen: number;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Reader = Db | Tx;

/** The nodes in each parent's child list, in order of writing; the key of first messages is null. */
function childrenByParent<T extends TreeNode>(nodes: readonly T[]): Map<string | null, T[]> {
  const children = new Map<string | null, T[]>();
  for (const node of [...nodes].sort((a, b) => a.position - b.position)) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  return children;
}

function mostRecentlyChosen<T extends TreeNode>(nodes: readonly T[] | undefined): T | undefined {
  let best: T | undefined;
  for (const node of nodes ?? []) {
    if (!best || node.chosen > best.chosen || (node.chosen === best.chosen && node.position > best.position))
      best = node;
  }
  return best;
}

/** The current branch, first message first; from `from` (a message id) downwards when given, else from the top. */
export function currentBranch<T extends TreeNode>(nodes: readonly T[], from?: string): T[] {
  const children = childrenByParent(nodes);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const branch: T[] = from ? pathTo(nodes, from) : [];
  const seen = new Set(branch.map((node) => node.id));
  let next = from ? mostRecentlyChosen(children.get(from)) : mostRecentlyChosen(children.get(null));
  while (next && !seen.has(next.id) && byId.has(next.id)) {
    branch.push(next);
    seen.add(next.id);
    next = mostRecentlyChosen(children.get(next.id));
  }
  return branch;
}

/** The message and its ancestors, first message first; empty for an unknown id. */
export function pathTo<T extends TreeNode>(nodes: readonly T[], id: string): T[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const path: T[] = [];
  const seen = new Set<string>();
  for (
    let node = byId.get(id);
    node && !seen.has(node.id);
    node = node.parentId ? byId.get(node.parentId) : undefined
  ) {
    path.unshift(node);
    seen.add(node.id);
  }
  return path;
}

/** The ids of each given message's versions (itself and its siblings, in order of writing), from one sort. */
export function versionsOf(nodes: readonly TreeNode[], ids: readonly string[]): Record<string, string[]> {
  const children = childrenByParent(nodes);
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  return Object.fromEntries(
    ids.map((id) => [id, parentOf.has(id) ? (children.get(parentOf.get(id) ?? null)?.map((s) => s.id) ?? [id]) : []]),
  );
}

export async function loadTreeNodes(db: Reader, ownerId: string, chatId: string): Promise<TreeNode[]> {
  return db
    .select({ id: messages.id, parentId: messages.parentId, position: messages.position, chosen: messages.chosen })
    .from(messages)
    .where(and(eq(messages.ownerId, ownerId), eq(messages.chatId, chatId)));
}

/** The next value of the chat's `chosen` counter (call with the chat row locked). */
export async function nextChosen(db: Reader, ownerId: string, chatId: string): Promise<number> {
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${messages.chosen}) + 1, 1)`.mapWith(Number) })
    .from(messages)
    .where(and(eq(messages.ownerId, ownerId), eq(messages.chatId, chatId)));
  return row?.next ?? 1;
}

export interface ChatTree {
  chat: Chat;
  /** Every message, in order of writing. */
  messages: StoredMessage[];
  /** The ids of the current branch, first message first. */
  branch: string[];
}

/** The whole tree of the owner's chat (for export and the versions switch); null when it is not the owner's. */
export async function getChatTree(db: Db, ownerId: string, chatId: string): Promise<ChatTree | null> {
  if (!isId(chatId)) return null;
  const [chat] = await db
    .select()
    .from(chats)
    .where(and(eq(chats.ownerId, ownerId), eq(chats.id, chatId)));
  if (!chat) return null;
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.ownerId, ownerId), eq(messages.chatId, chatId)))
    .orderBy(asc(messages.position));
  return {
    chat: toChat(chat),
    messages: rows.map(toMessage),
    branch: currentBranch(rows).map((row) => row.id),
  };
}

/**
 * Makes `messageId` part of the current branch: it and each of its ancestors become the most recently chosen
 * among their siblings, and below it the branch follows what was chosen there before. False when the message is
 * not in the owner's chat.
 */
export async function chooseMessage(db: Db, ownerId: string, chatId: string, messageId: string): Promise<boolean> {
  if (!isId(chatId) || !isId(messageId)) return false;
  return db.transaction(async (tx) => {
    const [chat] = await tx
      .select({ id: chats.id })
      .from(chats)
      .where(and(eq(chats.ownerId, ownerId), eq(chats.id, chatId)))
      .for('update');
    if (!chat) return false;
    const nodes = await loadTreeNodes(tx, ownerId, chatId);
    const path = pathTo(nodes, messageId);
    if (path.length === 0) return false;
    let chosen = await nextChosen(tx, ownerId, chatId);
    // Only nodes that are not already their siblings' choice need a write.
    const children = childrenByParent(nodes);
    for (const node of path) {
      if (mostRecentlyChosen(children.get(node.parentId))?.id === node.id) continue;
      await tx
        .update(messages)
        .set({ chosen })
        .where(and(eq(messages.ownerId, ownerId), eq(messages.id, node.id)));
      node.chosen = chosen++;
    }
    return true;
  });
}
