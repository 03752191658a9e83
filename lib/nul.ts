import { z } from 'zod';

/**
 * PostgreSQL refuses U+0000 in text and jsonb ("invalid byte sequence", "unsupported Unicode escape sequence"), so a
 * NUL that reached the database would fail the query and the request with a 500. What people send is refused at the
 * schema boundary with a 400 naming the field; what Gemini writes is saved with the NUL replaced.
 */

export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** A zod string that refuses NUL, for every field that is stored. */
export function storableString(): z.ZodString {
  return z.string().refine((text) => !hasNul(text), NUL_MESSAGE) as unknown as z.ZodString;
}

/** The path of the first string (or key) holding a NUL in a parsed JSON value, or undefined. Iterative on purpose. */
export function findNul(value: unknown): (string | number)[] | undefined {
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length > 0) {
    const [current, path] = stack.pop() as [unknown, (string | number)[]];
    if (typeof current === 'string') {
      if (hasNul(current)) return path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], [...path, i]]);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current).reverse()) {
        if (hasNul(key)) return [...path, key];
        stack.push([child, [...path, key]]);
      }
    }
  }
  return undefined;
}

/** Model output, made storable: each NUL becomes U+FFFD, the character that says "something unreadable was here". */
export function replaceNul<T>(value: T): T {
  if (typeof value === 'string') return (hasNul(value) ? value.replaceAll('\u0000', '\uFFFD') : value) as T;
  if (Array.isArray(value)) return value.map(replaceNul) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceNul(k), replaceNul(v)])) as T;
  }
  return value;
}
