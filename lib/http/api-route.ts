import { randomUUID } from 'node:crypto';
import { type Config, getConfig } from '@/lib/config';
import { isSubstituted, type ModelTarget } from '@/lib/core/model-target';
import { ApiError } from '@/lib/errors';
import { corsHeaders } from '@/lib/http/cors';
import { logAccess, logUnexpected } from '@/lib/log';
import { toApiError } from '@/lib/upstream-errors';

export interface RouteContext {
  config: Config;
  requestId: string;
  /** `performance.now()` when the request arrived: deadlines that span the whole request count from here. */
  receivedAt: number;
  /** Headers every response of this request carries (CORS, request id). */
  headers: Record<string, string>;
  /** The model that served, for the request's log line (which also says when it was a substitute). */
  noteModel(model: ModelTarget): void;
  /** For handlers whose response outlives them (streams): log when it really ends. */
  deferLog(model?: ModelTarget): (outcome: { status: number; code?: string | null }) => void;
}

type Handler<P> = (request: Request, context: RouteContext, params: P) => Promise<Response>;

/** What Next passes a route handler as its second argument: dynamic segments, as a promise. */
interface RouteSegment<P> {
  params: Promise<P>;
}

/**
 * Wraps an API route: every failure becomes OpenAI's error envelope with the right status,
 * every response gets a request id (and CORS, for the API; the chat's own routes are same-origin only),
 * and each request is logged once without its content.
 */
export function apiRoute<P = Record<string, never>>(
  handler: Handler<P>,
  options: { cors?: boolean } = {},
): (request: Request, segment?: RouteSegment<P>) => Promise<Response> {
  const withCors = options.cors ?? true;
  return async (request, segment) => {
    const receivedAt = performance.now();
    const requestId = randomUUID();
    const path = new URL(request.url).pathname;

    let config: Config;
    try {
      config = getConfig();
    } catch {
      const error = new ApiError(503, 'Iris is misconfigured; the operator should check the server log.', {
        code: 'server_misconfigured',
      });
      return errorResponse(error, { 'x-request-id': requestId });
    }

    let logged = false;
    let model: ModelTarget | undefined;
    const log = (status: number, code?: string | null) => {
      if (logged) return;
      logged = true;
      const ms = performance.now() - receivedAt;
      const served = model && {
        model: model.id,
        ...(isSubstituted(model) ? { substituted: `${model.asked} -> ${model.id}` } : {}),
      };
      logAccess({ requestId, method: request.method, path, status, ms, code, ...served }, { quiet: config.quietLogs });
    };

    const headers = { ...(withCors ? corsHeaders(config, request) : {}), 'x-request-id': requestId };
    let deferred = false;
    const context: RouteContext = {
      config,
      requestId,
      receivedAt,
      headers,
      noteModel(servedModel) {
        model = servedModel;
      },
      deferLog(servedModel) {
        deferred = true;
        model ??= servedModel;
        return ({ status, code }) => log(status, code);
      },
    };
    try {
      const params = (segment ? await segment.params : {}) as P;
      const response = await handler(request, context, params);
      if (!deferred) log(response.status);
      return response;
    } catch (thrown) {
      // Once the caller has gone, whatever failed downstream failed because of that: not Iris's error.
      const error = request.signal.aborted
        ? new ApiError(499, 'The client closed the request.', { code: 'client_closed' })
        : toApiError(thrown);
      if (error.code === 'internal_error') logUnexpected(requestId, thrown);
      log(error.status, error.code);
      return errorResponse(error, headers);
    }
  };
}

function errorResponse(error: ApiError, headers: Record<string, string>): Response {
  return Response.json(error.toJSON(), { status: error.status, headers: { ...error.headers, ...headers } });
}

export function preflight(request: Request): Response {
  let origin = '*';
  try {
    origin = getConfig().corsAllowOrigin;
  } catch {
    // A misconfigured server still answers preflights; the real request reports the problem.
  }
  return new Response(null, { status: 204, headers: corsHeaders({ corsAllowOrigin: origin }, request) });
}

/** Answers methods a route does not serve with OpenAI's envelope and an `Allow` header. */
export function methodNotAllowed(allow: readonly string[]): (request: Request) => Promise<Response> {
  return apiRoute(async (request) => {
    throw new ApiError(405, `${request.method} is not allowed here; use ${allow.join(' or ')}.`, {
      code: 'method_not_allowed',
      headers: { allow: allow.join(', ') },
    });
  });
}

/** Options for the chat's own routes: same-origin only, so no CORS headers. */
export const UI_ROUTE = { cors: false } as const;
