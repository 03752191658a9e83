/** The image types /api/files accepts (the formats Gemini reads), told from the bytes like the server does. */
export type AcceptedImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/heic' | 'image/heif';

export const ACCEPTED_IMAGE_TYPES: readonly AcceptedImageType[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/heic',
  'image/heif',
];

export const ACCEPTED_IMAGE_TYPES_TEXT = 'PNG, JPEG, WEBP, HEIC and HEIF images';

export function isAcceptedImageType(mediaType: string): mediaType is AcceptedImageType {
  return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(mediaType);
}

export const isHeifFamily = (mediaType: string): boolean => mediaType === 'image/heic' || mediaType === 'image/heif';

// A Map: a file's type comes from outside, and must not find an Object member such as `constructor`.
const LABELS: ReadonlyMap<string, string> = new Map([
  ['image/png', 'PNG'],
  ['image/jpeg', 'JPEG'],
  ['image/webp', 'WEBP'],
  ['image/heic', 'HEIC'],
  ['image/heif', 'HEIF'],
  ['image/gif', 'GIF'],
  ['image/bmp', 'BMP'],
  ['image/tiff', 'TIFF'],
  ['image/avif', 'AVIF'],
  ['image/svg+xml', 'SVG'],
  ['image/x-icon', 'ICO'],
  ['video/mp4', 'MP4 video'],
  ['video/quicktime', 'QuickTime video'],
  ['application/pdf', 'PDF'],
]);

/** A name a person knows for the type ("GIF"), or the type itself. */
export function mediaTypeLabel(mediaType: string): string {
  return LABELS.get(mediaType) ?? mediaType;
}

const EXTENSIONS: Readonly<Record<AcceptedImageType, readonly string[]>> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/webp': ['webp'],
  'image/heic': ['heic'],
  'image/heif': ['heif', 'heic'],
};

/**
 * `name` with an extension that matches `mediaType`: unchanged when it already has one, else its own extension
 * (if any) replaced. A nameless paste becomes "image.<ext>".
 */
export function nameForType(name: string, mediaType: AcceptedImageType): string {
  const extensions = EXTENSIONS[mediaType];
  const match = /^(.*)\.([A-Za-z0-9]{1,5})$/.exec(name.trim());
  const base = (match ? match[1] : name.trim()) || 'image';
  const current = match?.[2]?.toLowerCase();
  if (match && current !== undefined && extensions.includes(current)) return name.trim();
  return `${base}.${extensions[0]}`;
}

const ascii = (bytes: Uint8Array, offset: number, length: number): string =>
  offset + length <= bytes.length ? String.fromCharCode(...bytes.subarray(offset, offset + length)) : '';

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

/**
 * The file's type from its first bytes, or undefined when they are no format known here. Names refused formats
 * too (GIF, AVIF…), so the message can say what the file is. HEIF-family files are refined by their compatible
 * brands the same way the server's sniffer does, so the browser never accepts what /api/files refuses.
 */
export function sniffMediaType(head: Uint8Array): string | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'image/webp';
  if (ascii(head, 0, 4) === 'GIF8') return 'image/gif';
  if (ascii(head, 4, 4) === 'ftyp') return isoMediaType(head);
  if (ascii(head, 0, 2) === 'BM') return 'image/bmp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00])) return 'image/x-icon';
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  if (/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(ascii(head, 0, Math.min(head.length, 512)))) return 'image/svg+xml';
  return undefined;
}

function isoMediaType(head: Uint8Array): string {
  const major = ascii(head, 8, 4).trim();
  const boxSize = (((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0)) >>> 0;
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, head.length, 4096); offset += 4) {
    compatible.push(ascii(head, offset, 4));
  }
  if (major === 'avif' || major === 'avis') return 'image/avif';
  if (major === 'heic' || major === 'heix' || major === 'hevc' || major === 'hevx') return 'image/heic';
  if (major === 'mif1' || major === 'msf1') {
    if (compatible.some((b) => b === 'avif' || b === 'avis')) return 'image/avif';
    if (compatible.some((b) => b === 'heic' || b === 'heix' || b === 'hevc' || b === 'hevx')) return 'image/heic';
    return 'image/heif';
  }
  if (major === 'qt') return 'video/quicktime';
  return 'video/mp4';
}
