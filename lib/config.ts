import { z } from 'zod';

/**
 * All configuration comes from the environment and is validated here, once, so a bad
 * value stops the server at start-up with the variable's name instead of failing a request later.
 */

const DEFAULT_GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/**
 * The model ids from the original endpoint description that Google has shut down, mapped to
 * Google's recommended replacements (ai.google.dev/gemini-api/docs/deprecations).
 */
export const DEFAULT_MODEL_ALIASES: Readonly<Record<string, string>> = {
  'gemini-1.5-pro-latest': 'gemini-3.1-pro-preview',
  'gemini-2.0-flash': 'gemini-3-flash-preview',
  'gemini-2.5-pro': 'gemini-3.1-pro-preview',
  'gemini-2.5-flash': 'gemini-3-flash-preview',
};

const MiB = 1024 * 1024;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: 'must be a positive whole number' });
        return z.NEVER;
      }
      return n;
    });

const keyList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k.length > 0),
  );

const modelAliases = z
  .string()
  .optional()
  .transform((v, ctx): Record<string, string> => {
    if (v === undefined) return { ...DEFAULT_MODEL_ALIASES };
    const aliases: Record<string, string> = {};
    for (const entry of v.split(',')) {
      if (entry.trim() === '') continue;
      const [from, to, ...rest] = entry.split('=').map((s) => s.trim());
      if (!from || !to || rest.length > 0) {
        ctx.addIssue({ code: 'custom', message: `entry "${entry.trim()}" is not of the form from=to` });
        return z.NEVER;
      }
      aliases[stripModelsPrefix(from)] = stripModelsPrefix(to);
    }
    return aliases;
  });

const httpUrl = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = v === undefined || v.trim() === '' ? fallback : v.trim();
      try {
        const url = new URL(value);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
        return z.NEVER;
      }
      return value.replace(/\/+$/, '');
    });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  GOOGLE_GENERATIVE_AI_API_KEY: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  GOOGLE_GENERATIVE_AI_BASE_URL: httpUrl(DEFAULT_GEMINI_BASE_URL),
  API_KEYS: keyList,
  GEMINI_KEY_PASSTHROUGH: booleanFlag,
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  IMAGE_FETCH_ALLOW_PRIVATE: booleanFlag,
  MAX_IMAGE_BYTES: positiveInt(20 * MiB),
  MAX_IMAGES_PER_REQUEST: positiveInt(16),
  MAX_REQUEST_BYTES: positiveInt(32 * MiB),
  IMAGE_FETCH_TIMEOUT_MS: positiveInt(15_000),
  UPSTREAM_TIMEOUT_MS: positiveInt(300_000),
  UPSTREAM_MAX_RETRIES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return 0;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0 || n > 5) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number from 0 to 5' });
        return z.NEVER;
      }
      return n;
    }),
  STREAM_HEARTBEAT_MS: positiveInt(15_000),
  MODELS_CACHE_TTL_MS: positiveInt(5 * 60_000),
  MODEL_ALIASES: modelAliases,
  CORS_ALLOW_ORIGIN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || '*'),
  VERCEL: z.string().optional(),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  gemini: { apiKey: string | undefined; baseURL: string; maxRetries: number; timeoutMs: number };
  auth: { apiKeys: readonly string[]; geminiKeyPassthrough: boolean };
  databaseUrl: string | undefined;
  images: {
    maxBytes: number;
    maxPerRequest: number;
    fetchTimeoutMs: number;
    allowPrivateAddresses: boolean;
  };
  maxRequestBytes: number;
  streamHeartbeatMs: number;
  modelsCacheTtlMs: number;
  modelAliases: Readonly<Record<string, string>>;
  corsAllowOrigin: string;
  onVercel: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Pure: parses an environment into a Config, or throws a ConfigError naming every bad variable. */
export function parseConfig(env: Env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Iris cannot start: invalid environment.\n${lines.join('\n')}\nSee .env.example.`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    gemini: {
      apiKey: e.GOOGLE_GENERATIVE_AI_API_KEY,
      baseURL: e.GOOGLE_GENERATIVE_AI_BASE_URL,
      maxRetries: e.UPSTREAM_MAX_RETRIES,
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
    },
    auth: { apiKeys: e.API_KEYS, geminiKeyPassthrough: e.GEMINI_KEY_PASSTHROUGH },
    databaseUrl: e.DATABASE_URL,
    images: {
      maxBytes: e.MAX_IMAGE_BYTES,
      maxPerRequest: e.MAX_IMAGES_PER_REQUEST,
      fetchTimeoutMs: e.IMAGE_FETCH_TIMEOUT_MS,
      allowPrivateAddresses: e.IMAGE_FETCH_ALLOW_PRIVATE,
    },
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    streamHeartbeatMs: e.STREAM_HEARTBEAT_MS,
    modelsCacheTtlMs: e.MODELS_CACHE_TTL_MS,
    modelAliases: e.MODEL_ALIASES,
    corsAllowOrigin: e.CORS_ALLOW_ORIGIN,
    onVercel: Boolean(e.VERCEL),
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use (at start-up, from instrumentation.ts). */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

export function stripModelsPrefix(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}
