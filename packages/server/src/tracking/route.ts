import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyScope, Store } from '../storage/types.js';
import type { ArtifactBlobStore } from './artifact-store.js';
import { type Fields, fieldsOf } from './fields.js';

export interface MlflowContext {
  store: Store;
  artifacts: ArtifactBlobStore;
  maxArtifactBytes: number;
  /** Epoch milliseconds; injectable for tests. */
  now: () => number;
}

export type MlflowHandler = (
  fields: Fields,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

export const MLFLOW_PREFIX = '/api/2.0/mlflow';

/**
 * One MLflow endpoint: its fields (query for GET, query and JSON body otherwise), the scope
 * its key needs, hidden from Vigil's OpenAPI document (see docs/mlflow.md). An empty answer
 * is `{}`, as MLflow's server gives.
 */
export function mlflowRoute(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  scope: ApiKeyScope,
  handler: MlflowHandler,
): void {
  app.route({
    method,
    url: `${MLFLOW_PREFIX}/${path}`,
    config: { scope },
    schema: { hide: true },
    handler: async (request, reply) => {
      const query = fieldsOf(request.query);
      const fields = method === 'GET' ? query : { ...query, ...fieldsOf(request.body) };
      const answer = await handler(fields, request, reply);
      return answer ?? {};
    },
  });
}
