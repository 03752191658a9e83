import { stripModelsPrefix } from '@/lib/config';

/** `models/gemini-x` and `gemini-x` name the same model; aliases then map retired or custom names to served ones. */
export function resolveModelId(requested: string, aliases: Readonly<Record<string, string>>): string {
  const id = stripModelsPrefix(requested.trim());
  return aliases[id] ?? id;
}
