import { isValidElement, type ReactNode } from 'react';

/**
 * Pure helpers for the markdown renderer, kept apart from it so they can be tested without loading
 * streamdown or shiki.
 */

// While an answer streams, streamdown's remend closes a half-written `[text](url` or `![alt](url` with
// these placeholder URLs (remend's INCOMPLETE_IMAGE_PLACEHOLDER and its link counterpart).
export const INCOMPLETE_LINK_HREF = 'streamdown:incomplete-link';
export const INCOMPLETE_IMAGE_SRC = 'streamdown:incomplete-image';

const WEB_PROTOCOLS = new Set(['http:', 'https:']);
// Any base works: it only lets relative URLs parse so their protocol can be read.
const RELATIVE_BASE = 'https://relative.invalid/';

export type LinkKind = 'incomplete' | 'in-page' | 'external';

export function linkKind(href: string | undefined): LinkKind {
  if (!href || href === INCOMPLETE_LINK_HREF) return 'incomplete';
  return href.startsWith('#') ? 'in-page' : 'external';
}

export interface ImageLink {
  href: string;
  /** Shown next to the link so the reader sees where it points before opening it; null for relative URLs. */
  host: string | null;
}

/**
 * Model-written images are shown as links instead of being fetched: loading them would tell any host the
 * model (or a prompt injection) names that this user is reading the answer.
 */
export function imageAsLink(src: unknown): ImageLink | null {
  if (typeof src !== 'string' || src === '' || src === INCOMPLETE_IMAGE_SRC) return null;
  let url: URL;
  try {
    url = new URL(src, RELATIVE_BASE);
  } catch {
    return null;
  }
  if (!WEB_PROTOCOLS.has(url.protocol)) return null;
  return { href: src, host: URL.canParse(src) ? url.hostname : null };
}

export function codeFenceLanguage(className: string | undefined): string {
  return className?.match(/(?:^|\s)language-(\S+)/)?.[1] ?? '';
}

/** The text inside rendered markdown children, e.g. the source of a fenced code block. */
export function plainTextOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(plainTextOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return plainTextOf(node.props.children);
  return '';
}
