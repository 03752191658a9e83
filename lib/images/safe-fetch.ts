import * as dns from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import { ApiError, invalidRequest } from '@/lib/errors';
import { formatBytes, formatDuration } from '@/lib/format';
import { type ByteBudget, readCapped } from '@/lib/http/read-capped';
import { describeBlockedHost, isPublicAddress } from '@/lib/images/address-policy';
import { displayUrl } from '@/lib/images/display-url';
import { BlockedAddressError, createGuardedLookup, type Lookup, resolveAll } from '@/lib/images/guarded-lookup';

export interface SafeFetchOptions {
  maxBytes: number;
  /** Shared with the request's other images; charged as each chunk arrives. */
  budget?: ByteBudget;
  timeoutMs: number;
  allowPrivateAddresses: boolean;
  /** Redirect hops followed before giving up; default 5. */
  maxRedirects?: number;
  signal?: AbortSignal;
  param: string;
  /** Injectable for tests (DNS rebinding); default dns.lookup. */
  lookup?: Lookup;
}

export interface FetchedBody {
  bytes: Uint8Array;
  finalUrl: string;
}

const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const REQUEST_HEADERS = {
  'user-agent': 'Iris-ImageFetcher/1.0',
  // Named types first so content-negotiating CDNs do not answer with AVIF or GIF, which Gemini refuses.
  accept: 'image/png,image/jpeg,image/webp,image/heic,image/heif,image/*;q=0.8',
  // Images are already compressed; identity keeps Content-Length meaningful for the up-front size check.
  'accept-encoding': 'identity',
};

/**
 * GET a caller-supplied URL without letting the caller reach anything but the public internet:
 * http(s) only, every hop's address checked (literal IPs before connecting, names at connect time
 * so DNS rebinding cannot slip through), redirects followed by hand and never from https to http,
 * the body capped (alone and with the request's other images) while it streams, and one deadline
 * over the whole exchange.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<FetchedBody> {
  options.signal?.throwIfAborted();
  const lookup = options.lookup ?? dns.lookup;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  // Aborted by us on any failure, so a body we stop reading (too large, over budget) drops its connection instead of draining.
  const stop = new AbortController();
  const signal = AbortSignal.any(options.signal ? [options.signal, timeout, stop.signal] : [timeout, stop.signal]);
  const dispatcher = agentFor(lookup, options.allowPrivateAddresses);

  let target = parseTarget(url, options.param);
  try {
    for (let hops = 0; ; hops++) {
      await checkAddress(target, options, lookup, signal);
      const response = await fetch(target, { redirect: 'manual', headers: REQUEST_HEADERS, dispatcher, signal });

      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        await discard(response);
        if (hops >= maxRedirects) {
          throw invalidRequest(
            `${subject(options.param, url)} redirected more than ${maxRedirects} times; Iris stops there.`,
            options.param,
            'too_many_redirects',
          );
        }
        target = parseRedirect(location, target, options.param);
        continue;
      }

      if (response.status < 200 || response.status > 299) {
        await discard(response);
        const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
        throw fetchFailed(options.param, target, `the server answered HTTP ${status}`);
      }

      return { bytes: await readBody(response, options, target), finalUrl: target.href };
    }
  } catch (error) {
    stop.abort();
    throw translateError(error, options, target, timeout);
  }
}

/** One Agent (connection pool) per address policy and lookup function, shared by all requests. */
const agents = new WeakMap<Lookup, Map<boolean, Agent>>();

function agentFor(lookup: Lookup, allowPrivateAddresses: boolean): Agent {
  let byPolicy = agents.get(lookup);
  if (!byPolicy) {
    byPolicy = new Map();
    agents.set(lookup, byPolicy);
  }
  let agent = byPolicy.get(allowPrivateAddresses);
  if (!agent) {
    agent = new Agent({
      // The per-request deadline governs; undici's own 10 s connect timeout would only pre-empt it.
      connect: { lookup: createGuardedLookup(lookup, allowPrivateAddresses), timeout: 120_000 },
      keepAliveTimeout: 10_000,
    });
    byPolicy.set(allowPrivateAddresses, agent);
  }
  return agent;
}

function parseTarget(raw: string | URL, param: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidRequest(`${param} is not a valid URL.`, param, 'invalid_image_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidRequest(
      `${param} uses the ${url.protocol} scheme; image URLs must be http(s) or base64 data: URLs.`,
      param,
      'invalid_image_url',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidRequest(
      `${param} (${displayUrl(url)}) contains credentials (user:password@); Iris does not send them.`,
      param,
      'invalid_image_url',
    );
  }
  return url;
}

function parseRedirect(location: string, from: URL, param: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw fetchFailed(param, from, 'the server redirected to an invalid URL');
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw invalidRequest(
      `${subject(param, from)} redirected to a ${next.protocol} URL; Iris follows only http(s) redirects.`,
      param,
      'invalid_image_url',
    );
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    throw invalidRequest(
      `${subject(param, from)} redirected from https to plain http (${displayUrl(next)}); Iris does not follow a redirect that drops TLS, since the image could then be read or replaced on the way.`,
      param,
      'invalid_image_url',
    );
  }
  if (next.username !== '' || next.password !== '') {
    throw invalidRequest(
      `${subject(param, from)} redirected to a URL with credentials (user:password@); Iris does not send them.`,
      param,
      'invalid_image_url',
    );
  }
  return next;
}

/**
 * Before connecting: a literal IP is judged here (net.connect never calls lookup for one), and a
 * name is resolved once so the common refusal is immediate. The connect-time lookup re-checks.
 */
async function checkAddress(url: URL, options: SafeFetchOptions, lookup: Lookup, signal: AbortSignal): Promise<void> {
  if (options.allowPrivateAddresses) return;
  // WHATWG URL has already turned 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0) {
    if (!isPublicAddress(host)) throw blocked(options.param, url, describeBlockedHost(host));
    return;
  }
  const name = host.replace(/\.$/, '').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) throw blocked(options.param, url, `${name} is this machine`);
  const addresses = await resolveAll(host, lookup, signal);
  if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
    throw new BlockedAddressError(host);
  }
}

/** Reads the body within both limits; a Content-Length already past one is refused without reading. */
async function readBody(response: Response, options: SafeFetchOptions, url: URL): Promise<Uint8Array> {
  const { maxBytes, budget, param } = options;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(param, url, maxBytes, declared);
  if (budget && Number.isFinite(declared) && declared > budget.remaining) throw imagesTooLarge(param, budget);
  if (!response.body) return new Uint8Array(0);
  return readCapped(response.body, {
    maxBytes,
    budget,
    onLimit: (which) => (which === 'max' || !budget ? tooLarge(param, url, maxBytes) : imagesTooLarge(param, budget)),
  });
}

/** Frees the connection of a response whose body is not wanted. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function translateError(error: unknown, options: SafeFetchOptions, url: URL, timeout: AbortSignal): unknown {
  // The caller gave up (client disconnected, a sibling image failed): not our error to describe.
  if (options.signal?.aborted) return options.signal.reason;
  if (error instanceof ApiError) return error;
  if (timeout.aborted) {
    return invalidRequest(
      `${subject(options.param, url)} did not respond within ${formatDuration(options.timeoutMs)}.`,
      options.param,
      'image_fetch_timeout',
    );
  }
  if (findInCauses(error, (e) => e instanceof BlockedAddressError)) return blocked(options.param, url);
  return fetchFailed(options.param, url, networkReason(error, url));
}

function networkReason(error: unknown, url: URL): string {
  const coded = findInCauses(error, (e) => typeof (e as { code?: unknown }).code === 'string') as
    | { code: string }
    | undefined;
  if (!coded) return 'the request failed';
  switch (coded.code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return `could not resolve ${url.hostname}`;
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed before the image arrived';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    case 'UND_ERR_HEADERS_OVERFLOW':
      return 'the response headers were too large';
    default:
      if (coded.code.startsWith('ERR_TLS') || /CERT|SSL|TLS/.test(coded.code)) {
        return `the TLS connection failed (${coded.code})`;
      }
      return `the request failed (${coded.code})`;
  }
}

/** Walks `cause` links and AggregateError members, which is where undici and net put the real reason. */
function findInCauses(error: unknown, match: (e: object) => boolean, depth = 0): object | undefined {
  if (depth > 8 || typeof error !== 'object' || error === null) return undefined;
  if (match(error)) return error;
  if (error instanceof AggregateError) {
    for (const member of error.errors) {
      const found = findInCauses(member, match, depth + 1);
      if (found) return found;
    }
  }
  return findInCauses((error as { cause?: unknown }).cause, match, depth + 1);
}

function subject(param: string, url: string | URL): string {
  return `${param} (${displayUrl(url)})`;
}

function blocked(param: string, url: URL, detail?: string): ApiError {
  return invalidRequest(
    `${subject(param, url)} resolves to a private or reserved address${detail ? ` (${detail})` : ''}, which Iris does not fetch.`,
    param,
    'image_url_blocked',
  );
}

function fetchFailed(param: string, url: URL, reason: string): ApiError {
  return invalidRequest(`Could not fetch ${subject(param, url)}: ${reason}.`, param, 'image_fetch_failed');
}

/** `size` is known only from a Content-Length; a streamed body is cut off as soon as it passes the limit. */
function tooLarge(param: string, url: URL, maxBytes: number, size?: number): ApiError {
  const message =
    size === undefined
      ? `The image at ${subject(param, url)} is larger than the ${formatBytes(maxBytes)} limit.`
      : `The image at ${subject(param, url)} is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`;
  return new ApiError(413, message, { param, code: 'image_too_large' });
}

/** MAX_TOTAL_IMAGE_BYTES passed: by a fetched body as it streamed in, or by a data URL's size. */
export function imagesTooLarge(param: string, budget: ByteBudget): ApiError {
  return new ApiError(
    413,
    `The images of this request add up to more than ${formatBytes(budget.total)} (MAX_TOTAL_IMAGE_BYTES); send fewer or smaller images.`,
    { param, code: 'images_too_large' },
  );
}
