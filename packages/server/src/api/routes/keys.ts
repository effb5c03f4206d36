import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { generateApiKey, hashApiKey, keyPrefix } from '../../auth/keys.js';
import { NotFoundError } from '../../errors.js';
import type { ApiKeyRow } from '../../storage/types.js';
import { errorResponses } from '../schemas/common.js';

import type { TypedApp } from '../typed-app.js';

const Scope = z.enum(['admin', 'write', 'read']);
const ApiKey = z
  .object({
    id: z.number().int(),
    name: z.string(),
    scope: Scope,
    prefix: z.string(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
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
  };
}

export function registerKeyRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/api/v1/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (the key is shown once, in this response)',
        body: z.object({ name: z.string().min(1).max(200), scope: Scope }),
        response: { 201: ApiKey.extend({ key: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const key = generateApiKey();
      const row = await context.store.createApiKey({
        projectId: request.auth.projectId,
        name: request.body.name,
        scope: request.body.scope,
        keyHash: hashApiKey(key),
        prefix: keyPrefix(key),
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
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        params: z.object({ id: z.coerce.number().int() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const revoked = await context.store.revokeApiKey(request.auth.projectId, request.params.id);
      if (!revoked) throw new NotFoundError(`No active API key with id ${request.params.id}.`);
      reply.status(204);
      return null;
    },
  );
}
