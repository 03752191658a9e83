import { strToU8, zipSync } from 'fflate';
import type { StoredFile } from '@/lib/storage/files';
import type { ChatTree } from '@/lib/storage/message-tree';
import type { StoredMessage } from '@/lib/storage/types';
import { IRIS_FORMAT, IRIS_FORMAT_VERSION, type IrisChat, type IrisExport } from '@/lib/transfer/iris-format';

/** One chat in Iris's JSON format (see iris-format.ts): the whole tree, the current branch's end, the images. */
export function irisExportOf(tree: ChatTree, files: ReadonlyMap<string, StoredFile>, now = new Date()): IrisExport {
  // Files are numbered in the export, so it carries no id of the owner's files.
  const fileNumbers = new Map<string, string>();
  const exportedFiles: IrisChat['files'] = [];
  const fileRef = (fileId: string) => {
    let ref = fileNumbers.get(fileId);
    if (!ref) {
      const file = files.get(fileId);
      if (!file) return undefined;
      ref = `file-${fileNumbers.size + 1}`;
      fileNumbers.set(fileId, ref);
      exportedFiles.push({ id: ref, mediaType: file.mediaType, data: Buffer.from(file.bytes).toString('base64') });
    }
    return ref;
  };
  const messages: IrisChat['messages'] = tree.messages.map((message) => ({
    id: message.id,
    parentId: message.parentId,
    role: message.role,
    parts: message.parts.flatMap((part): IrisChat['messages'][number]['parts'] => {
      if (part.type !== 'file') return [{ type: part.type, text: part.text }];
      const file = fileRef(part.fileId);
      return file ? [{ type: 'image', file }] : [];
    }),
    status: message.status,
    finishReason: message.finishReason,
    usage: message.usage,
    error: message.error,
    notice: message.notice,
    model: message.model,
    createdAt: message.createdAt.toISOString(),
  }));
  return {
    format: IRIS_FORMAT,
    version: IRIS_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    chats: [
      {
        title: tree.chat.title,
        model: tree.chat.model,
        settings: tree.chat.settings,
        createdAt: tree.chat.createdAt.toISOString(),
        current: tree.branch.at(-1) ?? null,
        messages,
        files: exportedFiles,
      },
    ],
  };
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/**
 * The current branch as Markdown in a zip: `chat.md`, with each image as a file under `images/` that the
 * Markdown links to.
 */
export function markdownZipOf(tree: ChatTree, files: ReadonlyMap<string, StoredFile>, now = new Date()): Uint8Array {
  const byId = new Map(tree.messages.map((m) => [m.id, m]));
  const branch = tree.branch.flatMap((id) => byId.get(id) ?? []);
  const images: Record<string, Uint8Array> = {};
  const imageNames = new Map<string, string>();
  const imageName = (fileId: string) => {
    let name = imageNames.get(fileId);
    const file = files.get(fileId);
    if (!name && file) {
      name = `images/image-${imageNames.size + 1}.${EXTENSIONS[file.mediaType] ?? 'bin'}`;
      imageNames.set(fileId, name);
      images[name] = file.bytes;
    }
    return name;
  };
  const lines = [
    `# ${escapeHeading(tree.chat.title)}`,
    '',
    `*Exported from Iris on ${now.toISOString().slice(0, 10)} · ${tree.chat.model}*`,
  ];
  if (tree.chat.settings.systemPrompt) lines.push('', '> System prompt:', ...quote(tree.chat.settings.systemPrompt));
  for (const message of branch) lines.push('', ...markdownOf(message, imageName));
  return zipSync({ 'chat.md': strToU8(`${lines.join('\n')}\n`), ...images }, { level: 6 });
}

function markdownOf(message: StoredMessage, imageName: (fileId: string) => string | undefined): string[] {
  const lines = [message.role === 'user' ? '## You' : `## Gemini${message.model ? ` (${message.model})` : ''}`, ''];
  let image = 0;
  for (const part of message.parts) {
    if (part.type === 'file') {
      const name = imageName(part.fileId);
      image++;
      lines.push(name ? `![Image ${image}](${name})` : `*(Image ${image} is missing.)*`, '');
    } else if (part.type === 'reasoning')
      lines.push('<details><summary>Thoughts</summary>', '', part.text, '', '</details>', '');
    else lines.push(part.text, '');
  }
  if (message.status === 'stopped') lines.push('*Stopped.*', '');
  if (message.status === 'error') lines.push(`*The answer failed${message.error ? `: ${message.error}` : '.'}*`, '');
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

const escapeHeading = (title: string) => title.replace(/\s+/g, ' ').trim();
const quote = (text: string) => text.split('\n').map((line) => `> ${line}`);

/** A file name from the chat's title: letters, digits and dashes, never empty. */
export function exportFileName(title: string, extension: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 60)
    .replace(/-+$/, '')
    .toLowerCase();
  return `${slug || 'chat'}.${extension}`;
}
