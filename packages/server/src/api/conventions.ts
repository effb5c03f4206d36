/**
 * What every route shares, applied once here so that a new route gets it without work:
 * the error answers it can give, documented with the error body (an `onRoute` hook), and
 * 405 with `Allow` for a method its path does not support (an `onRequest` hook).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ErrorBody } from './schemas/common.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WRITE_METHODS = BODY_METHODS;

/** Why each standard status is answered; the OpenAPI document shows these texts. */
export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: an unreadable body, a failed validation (each bad field in `details`) or a bad query parameter.',
  401: 'Missing or invalid API key.',
  403: 'The API key lacks the scope this route needs (the message names it).',
  404: 'The model, record or key named in the path does not exist.',
  409: 'Conflicts with the current state (a name already taken, the last admin key); the message says what.',
  413: 'The request body is over the size limit (`VIGIL_MAX_BODY_MB`, after gzip decompression).',
  414: 'A path parameter is longer than the server accepts.',
  415: 'Content type or encoding not accepted here (the message lists the accepted ones).',
  503: 'Overloaded, or the store cannot serve requests now; retry after `Retry-After` seconds when given.',
  507: 'The store is out of space; the request was not applied.',
};

function errorResponse(status: number) {
  return {
    description: ERROR_DESCRIPTIONS[status] ?? 'Error.',
    content: { 'application/json': { schema: ErrorBody } },
  };
}

/** The error statuses a route can answer, from what it is: authenticated, with path parameters, with a body. */
export function standardErrorStatuses(route: Pick<RouteOptions, 'url' | 'method'>): number[] {
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
  const authenticated = route.url.startsWith('/api/v1/');
  const withParams = route.url.includes(':');
  const withBody = methods.some((m) => BODY_METHODS.has(m));
  const writes = methods.some((m) => WRITE_METHODS.has(m));
  const statuses = [400];
  if (authenticated) statuses.push(401, 403);
  if (withParams) statuses.push(404, 414);
  if (withBody) statuses.push(413, 415);
  // Every route that reads or writes the store can find it unavailable.
  if (authenticated || route.url === '/readyz') statuses.push(503);
  if (authenticated && writes) statuses.push(507);
  return statuses;
}

/**
 * onRoute hook: adds the standard error responses a route does not document itself, and
 * gives a bare `ErrorBody` response its status's description.
 */
export function addStandardErrorResponses(route: RouteOptions): void {
  const schema = route.schema as (Record<string, unknown> & { hide?: boolean }) | undefined;
  if (!schema || schema.hide) return;
  const response = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  for (const [status, value] of Object.entries(response)) {
    if (value === ErrorBody) response[status] = errorResponse(Number(status));
  }
  for (const status of standardErrorStatuses(route)) {
    response[status] ??= errorResponse(status);
  }
  route.schema = { ...schema, response };
}

/** The methods a concrete path is served with (HEAD with GET), or none when no route has this path. */
function allowedMethods(app: FastifyInstance, path: string): string[] {
  const allowed: string[] = [];
  for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    try {
      if (app.findRoute({ method: method as 'GET', url: path })) allowed.push(method);
    } catch {
      return [];
    }
  }
  return allowed;
}

/**
 * onRequest hook for the root instance: a request no route matches, on a path that
 * routes serve with other methods, is answered 405 with `Allow` (before its body is read).
 */
export function methodNotAllowed(app: FastifyInstance) {
  return async function answerMethodNotAllowed(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!request.is404) return;
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = allowedMethods(app, path);
    if (allowed.length === 0) return;
    const allow = allowed.join(', ');
    reply.header('Allow', allow);
    reply.status(405).send({
      error: 'method_not_allowed',
      message: `${request.method} is not supported on ${path}; use ${allow}.`,
    });
    return reply;
  };
}
