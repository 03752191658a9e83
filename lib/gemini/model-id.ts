/**
 * Model ids end up in the upstream URL path (`/models/{id}:generateContent`), so only plain ids
 * are let through: no slashes beyond the `models/` prefix, no `:`, `?`, `#` or `..`.
 */
export const MODEL_ID_PATTERN = /^(models\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function stripModelsPrefix(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}
