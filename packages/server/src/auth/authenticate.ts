/**
 * API-key authentication for every /api/v1 route. Each route names the scope it needs
 * in its `config.scope`; admin keys may do everything, write keys only ingest, read
 * keys only read.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { ApiKeyRow, ApiKeyScope } from '../storage/types.js';
import { hashApiKey, scopeAllows } from './keys.js';

export interface AuthContext {
  keyId: number;
  projectId: number;
  scope: ApiKeyScope;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope an API key needs for this route. */
    scope?: ApiKeyScope;
  }
  interface FastifyRequest {
    auth: AuthContext;
  }
}

/**
 * How long a verified key is trusted before it is looked up again. A revocation on this
 * server drops the key at once ({@link KeyCache.forget}); another server sharing the same
 * store notices it within this time.
 */
export const KEY_CACHE_MS = 10_000;

/** Verified keys by digest, so each request does not cost a store lookup. */
export class KeyCache {
  private readonly entries = new Map<string, { key: ApiKeyRow | null; expires: number }>();

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
  }
}

export function authenticate(context: AppContext) {
  const lookup = (hash: string) => context.keyCache.lookup(hash);

  return async function authenticateRequest(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new UnauthorizedError();
    const key = await lookup(hashApiKey(match[1]!));
    if (!key) throw new UnauthorizedError('The API key is not valid or has been revoked.');
    const required = request.routeOptions.config.scope ?? 'admin';
    if (!scopeAllows(key.scope, required)) {
      throw new ForbiddenError(
        `This route needs a key with the "${required}" scope; this key has "${key.scope}".`,
      );
    }
    request.auth = { keyId: key.id, projectId: key.projectId, scope: key.scope };
  };
}
