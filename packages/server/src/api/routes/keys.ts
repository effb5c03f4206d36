import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { generateApiKey, hashApiKey, keyPrefix } from '../../auth/keys.js';
import { API_KEY_SCOPES } from '../../domain/index.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { ApiKeyRow } from '../../storage/types.js';
import { ErrorBody } from '../schemas/common.js';

import type { TypedApp } from '../typed-app.js';

const Scope = z.enum(API_KEY_SCOPES);
const ApiKey = z
  .object({
    id: z.number().int(),
    name: z.string(),
    scope: Scope,
    prefix: z.string(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
    last_used_at: z
      .string()
      .nullable()
      .describe('Last request made with the key, to the minute; null when not used since this was recorded.'),
    created_by: z
      .string()
      .nullable()
      .describe('`user:<name>`, `api-key:<id>`, `first-start` or `vigil keys create`; null for older keys.'),
  })
  .meta({ id: 'ApiKey' });

function presentKey(key: ApiKeyRow) {
  return {
    id: key.id,
    name: key.name,
    scope: key.scope,
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt ? key.revokedAt.toISOString() : null,
    last_used_at: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
    created_by: key.createdBy,
  };
}

export function registerKeyRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/api/v1/keys',
    {
      config: { scope: 'admin', audit: { entity: 'api_key', action: 'create' } },
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (the key is shown once, in this response)',
        body: z.object({ name: z.string().min(1).max(200), scope: Scope }),
        response: { 201: ApiKey.extend({ key: z.string() }).meta({ id: 'CreatedApiKey' }) },
      },
    },
    async (request, reply) => {
      const key = generateApiKey();
      const row = await context.store.createApiKey({
        projectId: request.auth.projectId,
        name: request.body.name,
        scope: request.body.scope,
        keyHash: hashApiKey(key),
        prefix: keyPrefix(key, true),
        createdBy: request.auth.actor,
      });
      reply.status(201);
      return { ...presentKey(row), key };
    },
  );

  app.get(
    '/api/v1/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'List API keys',
        response: { 200: z.object({ data: z.array(ApiKey) }) },
      },
    },
    async (request) => ({ data: (await context.store.listApiKeys(request.auth.projectId)).map(presentKey) }),
  );

  app.delete(
    '/api/v1/keys/:id',
    {
      config: { scope: 'admin', audit: { entity: 'api_key', action: 'revoke' } },
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        params: z.object({ id: z.coerce.number().int() }),
        response: { 204: z.null(), 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const outcome = await context.store.revokeApiKey(request.auth.projectId, request.params.id);
      if (outcome === 'not_found') throw new NotFoundError(`No active API key with id ${request.params.id}.`);
      if (outcome === 'last_admin') {
        throw new ConflictError(
          `API key ${request.params.id} is the last active admin key; create another admin key first (POST /api/v1/keys with scope "admin"), then revoke this one.`,
        );
      }
      // Effective at once on this server; other servers drop their cached copy within KEY_CACHE_MS.
      context.keyCache.forget(request.params.id);
      reply.status(204);
      return null;
    },
  );
}
