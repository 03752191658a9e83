import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { MODEL_ID_PATTERN, stripModelsPrefix } from '@/lib/gemini/model-id';

/**
 * All configuration comes from the environment and is validated here, once, so a bad
 * value stops the server at start-up with the variable's name instead of failing a request later.
 */

const DEFAULT_GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

const MiB = 1024 * 1024;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** A whole number from `min` to `max`; unset or empty gives `fallback`. */
const wholeNumber = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        const range =
          max === Number.MAX_SAFE_INTEGER
            ? min === 1
              ? 'a positive whole number'
              : `a whole number of at least ${min}`
            : `a whole number from ${min} to ${max}`;
        ctx.addIssue({ code: 'custom', message: `must be ${range}` });
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
  .transform((v, ctx): Map<string, string> => {
    // No built-in table: retired ids are served by Gemini's own list (lib/core/model-target.ts), which moves with Google.
    // A Map, not an object: a name such as `constructor` or `__proto__` must find nothing but an operator's entry.
    const aliases = new Map<string, string>();
    if (v === undefined) return aliases;
    for (const entry of v.split(',')) {
      if (entry.trim() === '') continue;
      const [from, to, ...rest] = entry.split('=').map((s) => s.trim());
      if (!from || !to || rest.length > 0) {
        ctx.addIssue({ code: 'custom', message: `entry "${entry.trim()}" is not of the form from=to` });
        return z.NEVER;
      }
      if (!MODEL_ID_PATTERN.test(to)) {
        ctx.addIssue({ code: 'custom', message: `"${to}" is not a model id (letters, digits, ".", "_" and "-")` });
        return z.NEVER;
      }
      aliases.set(stripModelsPrefix(from), stripModelsPrefix(to));
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

/** An origin (scheme, host, optional port) for links shown to users; a path or query is refused. */
const publicUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const value = v?.trim();
    if (!value) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) throw new Error('origin');
      return url.origin;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) origin such as https://iris.example.com' });
      return z.NEVER;
    }
  });

/**
 * Which X-Forwarded-For entries to believe: none (false), the client the first proxy saw (true), the one a fixed
 * number of proxies in front of Iris saw (a hop count), or the first address not in the listed ranges of one's own
 * proxies (CIDRs or addresses, comma-separated).
 */
export type TrustProxy =
  | { mode: 'none' }
  | { mode: 'all' }
  | { mode: 'hops'; hops: number }
  | { mode: 'ranges'; ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][] };

const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): TrustProxy => {
    const value = v?.trim().toLowerCase() ?? '';
    if (value === '' || value === 'false' || value === '0') return { mode: 'none' };
    if (value === 'true') return { mode: 'all' };
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > 32) {
        ctx.addIssue({ code: 'custom', message: 'a hop count must be from 0 to 32' });
        return z.NEVER;
      }
      return { mode: 'hops', hops };
    }
    const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
    for (const entry of value.split(',').map((e) => e.trim())) {
      if (entry === '') continue;
      try {
        ranges.push(entry.includes('/') ? ipaddr.parseCIDR(entry) : wholeAddress(ipaddr.parse(entry)));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not an address or CIDR range (use false, true, a hop count, or a list of ranges)`,
        });
        return z.NEVER;
      }
    }
    return { mode: 'ranges', ranges };
  });

function wholeAddress(address: ipaddr.IPv4 | ipaddr.IPv6): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

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
  // Every query and transaction, and the wait for the database to open: a hung database answers 503, never hangs.
  DATABASE_TIMEOUT_MS: wholeNumber(10_000, 100, 600_000),
  // Under the platform's own kill deadline (Docker and Kubernetes give 30 s after SIGTERM, Fly.io 5–300 s).
  SHUTDOWN_GRACE_MS: wholeNumber(10_000, 0, 600_000),
  REDIS_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
  // Wrong keys an address may send per hour before it must wait; a test knob, like IMAGE_FETCH_ALLOW_PRIVATE.
  AUTH_FREE_FAILURES: wholeNumber(10),
  IMAGE_FETCH_ALLOW_PRIVATE: booleanFlag,
  MAX_IMAGE_BYTES: wholeNumber(20 * MiB),
  MAX_IMAGES_PER_REQUEST: wholeNumber(16),
  MAX_TOTAL_IMAGE_BYTES: wholeNumber(64 * MiB),
  MAX_REQUEST_BYTES: wholeNumber(32 * MiB),
  IMAGE_FETCH_TIMEOUT_MS: wholeNumber(15_000),
  // Under Vercel's 300 s function limit, so Iris can still answer with a 504 before the platform ends the call.
  UPSTREAM_TIMEOUT_MS: wholeNumber(280_000),
  UPSTREAM_MAX_RETRIES: wholeNumber(0, 0, 5),
  STREAM_HEARTBEAT_MS: wholeNumber(15_000),
  MODELS_CACHE_TTL_MS: wholeNumber(5 * 60_000),
  RESPONSES_RETENTION_DAYS: wholeNumber(30, 1, 3650),
  MODEL_ALIASES: modelAliases,
  CHAT_DEFAULT_MODEL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? stripModelsPrefix(v.trim()) : undefined))
    .refine((v) => v === undefined || MODEL_ID_PATTERN.test(v), 'must be a model id such as "gemini-3.8-flash"'),
  CORS_ALLOW_ORIGIN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || '*'),
  IRIS_DATA_DIR: z
    .string()
    .optional()
    .transform((v) => v?.trim() || './data'),
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters'),
  SESSION_IDLE_DAYS: wholeNumber(7, 1, 3650),
  SESSION_MAX_DAYS: wholeNumber(30, 1, 3650),
  TRUST_PROXY: trustProxy,
  MAX_UPLOAD_BYTES: wholeNumber(4 * MiB),
  UNUSED_UPLOAD_DAYS: wholeNumber(7, 1, 3650),
  CHAT_MAX_MESSAGE_CHARS: wholeNumber(200_000, 1, 2_000_000),
  BODY_IDLE_TIMEOUT_MS: wholeNumber(15_000, 100, 600_000),
  PUBLIC_URL: publicUrl,
  CHAT_IMAGE_MAX_EDGE: wholeNumber(2048, 256, 8192),
  CHAT_MAX_IMAGES_PER_MESSAGE: wholeNumber(10, 1, 100),
  VERCEL: z.string().optional(),
  IRIS_OFFLINE_DEMO: booleanFlag,
  IRIS_QUIET_LOGS: booleanFlag,
});

export type Env = Record<string, string | undefined>;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  gemini: { apiKey: string | undefined; baseURL: string; maxRetries: number; timeoutMs: number };
  auth: { apiKeys: readonly string[]; geminiKeyPassthrough: boolean };
  database: {
    /** Postgres connection string; unset means the embedded PGlite database under `dataDir`. */
    url: string | undefined;
    dataDir: string;
    /** Vercel's disk is read-only, so the embedded database cannot work there. */
    onVercel: boolean;
    /** DATABASE_TIMEOUT_MS: longest wait for one query, one transaction, or the database to open. */
    timeoutMs: number;
  };
  /** SHUTDOWN_GRACE_MS: how long running answers may go on after SIGTERM before they are interrupted and saved. */
  shutdownGraceMs: number;
  /** AUTH_FREE_FAILURES: wrong keys per address and hour before the throttle makes it wait. */
  authFreeFailures: number;
  /** REDIS_URL: state shared by every instance; unset keeps it in process (one instance). */
  redisUrl: string | undefined;
  /** Seals the browser's session cookie; unset, a random secret kept in the database is used. */
  sessionSecret: string | undefined;
  sessions: {
    /** SESSION_IDLE_DAYS: a session not used for this long has ended. */
    idleDays: number;
    /** SESSION_MAX_DAYS: a session ends this long after sign-in, however much it is used. */
    maxDays: number;
  };
  /** TRUST_PROXY: where a request's client address comes from (failed-authentication throttling). */
  trustProxy: TrustProxy;
  /** Largest image the chat may upload through /api/files (under Vercel's 4.5 MB body limit). */
  maxUploadBytes: number;
  /** UNUSED_UPLOAD_DAYS: an upload no message has used is deleted after this many days. */
  unusedUploadDays: number;
  /** CHAT_MAX_MESSAGE_CHARS: the most text one chat message may carry; it also sizes /api/chat's body limit. */
  chatMaxMessageChars: number;
  /** BODY_IDLE_TIMEOUT_MS: a request body that sends nothing for this long is refused with a 408. */
  bodyIdleTimeoutMs: number;
  /** PUBLIC_URL: the origin users reach Iris at, for the links and code samples pages show; unset uses the request's Host. */
  publicUrl: string | undefined;
  /** What the chat page does to images before uploading them. */
  chatImages: { maxEdge: number; maxPerMessage: number };
  images: {
    maxBytes: number;
    maxPerRequest: number;
    /** All images of one request together, counted while they are read. */
    maxTotalBytes: number;
    fetchTimeoutMs: number;
    allowPrivateAddresses: boolean;
  };
  maxRequestBytes: number;
  streamHeartbeatMs: number;
  modelsCacheTtlMs: number;
  /** RESPONSES_RETENTION_DAYS: stored Responses older than this are deleted. */
  responsesRetentionDays: number;
  /** The operator's renames (MODEL_ALIASES): applied first, before Gemini's list is asked. */
  modelAliases: ReadonlyMap<string, string>;
  /** CHAT_DEFAULT_MODEL; unset means the newest flash Gemini lists. */
  chatDefaultModel: string | undefined;
  corsAllowOrigin: string;
  /** Set by `npm run demo`: the page says that answers come from the fake Gemini. */
  offlineDemo: boolean;
  /** Turns the per-request access log off (benchmarks). */
  quietLogs: boolean;
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
    database: {
      url: e.DATABASE_URL,
      dataDir: e.IRIS_DATA_DIR,
      onVercel: Boolean(e.VERCEL),
      timeoutMs: e.DATABASE_TIMEOUT_MS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    authFreeFailures: e.AUTH_FREE_FAILURES,
    redisUrl: e.REDIS_URL,
    sessionSecret: e.SESSION_SECRET,
    sessions: { idleDays: Math.min(e.SESSION_IDLE_DAYS, e.SESSION_MAX_DAYS), maxDays: e.SESSION_MAX_DAYS },
    trustProxy: e.TRUST_PROXY,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    unusedUploadDays: e.UNUSED_UPLOAD_DAYS,
    chatMaxMessageChars: e.CHAT_MAX_MESSAGE_CHARS,
    bodyIdleTimeoutMs: e.BODY_IDLE_TIMEOUT_MS,
    publicUrl: e.PUBLIC_URL,
    chatImages: { maxEdge: e.CHAT_IMAGE_MAX_EDGE, maxPerMessage: e.CHAT_MAX_IMAGES_PER_MESSAGE },
    images: {
      maxBytes: e.MAX_IMAGE_BYTES,
      maxPerRequest: e.MAX_IMAGES_PER_REQUEST,
      maxTotalBytes: e.MAX_TOTAL_IMAGE_BYTES,
      fetchTimeoutMs: e.IMAGE_FETCH_TIMEOUT_MS,
      allowPrivateAddresses: e.IMAGE_FETCH_ALLOW_PRIVATE,
    },
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    streamHeartbeatMs: e.STREAM_HEARTBEAT_MS,
    modelsCacheTtlMs: e.MODELS_CACHE_TTL_MS,
    responsesRetentionDays: e.RESPONSES_RETENTION_DAYS,
    modelAliases: e.MODEL_ALIASES,
    chatDefaultModel: e.CHAT_DEFAULT_MODEL,
    corsAllowOrigin: e.CORS_ALLOW_ORIGIN,
    offlineDemo: e.IRIS_OFFLINE_DEMO,
    quietLogs: e.IRIS_QUIET_LOGS,
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use (at start-up, from instrumentation.ts). */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
