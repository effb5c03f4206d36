/**
 * Authentication of every /api/v1 route: an API key (`Authorization: Bearer <key>`) or
 * the session cookie of a signed-in user. Each route names the scope it needs in its
 * `config.scope`; a key grants its scope (admin everything, write writes and reads, read
 * only reads: `scopeAllows`), a user's role the matching scopes (see `roles.ts`). Requests made with the
 * cookie that change anything must carry the session's CSRF token in `X-CSRF-Token`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.js';
import type { UserRole } from '../domain/index.js';
import { ForbiddenError, UnauthorizedError, VigilError } from '../errors.js';
import type { ApiKeyRow, ApiKeyScope, Store } from '../storage/types.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { hashApiKey, scopeAllows } from './keys.js';
import { ROLE_FOR_SCOPE, roleAllows, SCOPE_OF_ROLE } from './roles.js';
import { type SignedIn, sameSecret } from './sessions.js';

export interface AuthContext {
  projectId: number;
  /** The key's scope, or the scope matching the user's role. */
  scope: ApiKeyScope;
  /** The API key of the request; null for a signed-in user. */
  keyId: number | null;
  /** The signed-in user; null for an API key. */
  user: { id: number; username: string; role: UserRole } | null;
  /** The session's token digest, for a signed-in user. */
  sessionTokenHash: string | null;
  /** Who acts, as recorded in audit fields: `user:<name>` or `api-key:<id>`. */
  actor: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope an API key needs for this route (a user needs the matching role). */
    scope?: ApiKeyScope;
  }
  interface FastifyRequest {
    auth: AuthContext;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const NO_CREDENTIALS =
  'Missing credentials: send "Authorization: Bearer <api key>", or sign in (POST /api/v1/session) and send the session cookie.';

/**
 * How long a verified key is trusted before it is looked up again. A revocation on this
 * server drops the key at once ({@link KeyCache.forget}); another server sharing the same
 * store notices it within this time.
 */
export const KEY_CACHE_MS = 10_000;
/** A key's `lastUsedAt` is written at most this often (a write per request would be too dear). */
export const KEY_USE_INTERVAL_MS = 60_000;

/** Verified keys by digest, so each request does not cost a store lookup. */
export class KeyCache {
  private readonly entries = new Map<string, { key: ApiKeyRow | null; expires: number }>();
  private readonly lastRecorded = new Map<number, number>();

  constructor(private readonly find: (hash: string) => Promise<ApiKeyRow | null>) {}

  async lookup(hash: string): Promise<ApiKeyRow | null> {
    const now = Date.now();
    const hit = this.entries.get(hash);
    if (hit && hit.expires > now) return hit.key;
    const key = await this.find(hash);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(hash, { key, expires: now + KEY_CACHE_MS });
    return key;
  }

  /** Drops a revoked key so its next request is refused. */
  forget(keyId: number): void {
    for (const [hash, entry] of this.entries) {
      if (entry.key?.id === keyId) this.entries.delete(hash);
    }
    this.lastRecorded.delete(keyId);
  }

  /** Records a key's use in the store, at most once per {@link KEY_USE_INTERVAL_MS}. */
  async recordUse(store: Store, keyId: number, nowMs: number): Promise<void> {
    const last = this.lastRecorded.get(keyId);
    if (last !== undefined && nowMs - last < KEY_USE_INTERVAL_MS) return;
    if (this.lastRecorded.size > 10_000) this.lastRecorded.clear();
    this.lastRecorded.set(keyId, nowMs);
    // Bookkeeping: a store that cannot write now must not fail the request.
    await store.recordApiKeyUse(keyId, nowMs).catch(() => undefined);
  }
}

export class CsrfError extends VigilError {
  constructor(message: string) {
    super(403, 'csrf_token_invalid', message);
  }
}

/** The session of the request's cookie, or null (no cookie, expired, signed out). */
export async function sessionOf(context: AppContext, request: FastifyRequest): Promise<SignedIn | null> {
  const token = readCookie(request.headers.cookie, SESSION_COOKIE);
  return token === undefined ? null : context.sessions.resolve(token);
}

/** Refuses a state-changing request made with the cookie unless it carries the session's CSRF token. */
export function checkCsrf(request: FastifyRequest, signedIn: SignedIn): void {
  if (SAFE_METHODS.has(request.method)) return;
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || given === '') {
    throw new CsrfError(
      `${request.method} with the session cookie needs the header X-CSRF-Token with the csrfToken of the session (from POST or GET /api/v1/session).`,
    );
  }
  if (!sameSecret(given, signedIn.session.csrfToken)) {
    throw new CsrfError(
      'X-CSRF-Token does not match this session; read csrfToken again from GET /api/v1/session.',
    );
  }
}

export function authenticate(context: AppContext) {
  return async function authenticateRequest(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const required = request.routeOptions.config.scope ?? 'admin';
    const header = request.headers.authorization;
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    // A browser behind a proxy with basic authentication sends `Authorization: Basic …` with
    // every request: with a session cookie beside it, the cookie is what counts.
    const bearer = header !== undefined && (token === undefined || /^Bearer\s/i.test(header));
    if (bearer) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <api key>".');
      const key = await context.keyCache.lookup(hashApiKey(match[1]!));
      if (!key) throw new UnauthorizedError('The API key is not valid or has been revoked.');
      if (!scopeAllows(key.scope, required)) {
        throw new ForbiddenError(
          `This route needs a key with the "${required}" scope; this key has "${key.scope}".`,
        );
      }
      await context.keyCache.recordUse(context.store, key.id, context.now());
      request.auth = {
        projectId: key.projectId,
        scope: key.scope,
        keyId: key.id,
        user: null,
        sessionTokenHash: null,
        actor: `api-key:${key.id}`,
      };
      return;
    }
    if (token === undefined) throw new UnauthorizedError(NO_CREDENTIALS);
    const signedIn = await context.sessions.resolve(token);
    if (!signedIn) throw new UnauthorizedError('The session has expired or was signed out; sign in again.');
    checkCsrf(request, signedIn);
    const { user } = signedIn;
    if (!roleAllows(user.role, required)) {
      throw new ForbiddenError(
        `This needs the "${ROLE_FOR_SCOPE[required]}" role${required === 'admin' ? '' : ' or higher'}; "${user.username}" is ${user.role === 'viewer' ? 'a' : 'an'} ${user.role}.`,
      );
    }
    request.auth = {
      projectId: user.projectId,
      scope: SCOPE_OF_ROLE[user.role],
      keyId: null,
      user: { id: user.id, username: user.username, role: user.role },
      sessionTokenHash: signedIn.session.tokenHash,
      actor: `user:${user.username}`,
    };
  };
}
