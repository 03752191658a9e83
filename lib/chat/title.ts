const MAX_TITLE_CHARS = 60;

/** What a chat is called until something better is known: its first message was images only. */
export const IMAGE_CHAT_TITLE = 'Image chat';

/** A short title from the first question: its first line, trimmed at a word boundary. */
export function titleFromText(text: string, fallback = IMAGE_CHAT_TITLE): string {
  const line = text.trim().split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '';
  if (line === '') return fallback;
  if (line.length <= MAX_TITLE_CHARS) return line;
  const cut = line.slice(0, MAX_TITLE_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 20 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

/**
 * The title of a chat whose first message had no text: the first line of Gemini's first answer, without its
 * markdown, so a chat of photos is named after what is in them rather than all being "Image chat".
 */
export function titleFromAnswer(markdown: string): string {
  let inCode = false;
  let firstLine = '';
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) inCode = !inCode;
    else if (!inCode && line !== '') {
      firstLine = line;
      break;
    }
  }
  const plain = firstLine
    .replace(/^(#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_~`]+/g, '')
    .replace(/\$+/g, '');
  return titleFromText(plain);
}

/** The server's rule, in one place, so the page's header and the sidebar say the same. */
export function chatTitle(firstQuestion: string, firstAnswer: string | undefined): string {
  if (firstQuestion.trim() !== '') return titleFromText(firstQuestion);
  return firstAnswer ? titleFromAnswer(firstAnswer) : IMAGE_CHAT_TITLE;
}
