import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditSpec } from '../audit/index.js';
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

/** Experiment tracking (runs, metrics, params, artifacts) is itself an append-only record of who ran what. */
/** A POST that only reads (MLflow searches with POST). */
const READ_ONLY: AuditSpec = { exempt: 'reads only' };

export const TRACKING_EXEMPT: AuditSpec = {
  exempt: 'experiment tracking: runs, metrics, params and artifacts are themselves records of what was run',
};

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
  /** What the audit trail records of a registry change; tracking endpoints record nothing. */
  audit: AuditSpec = scope === 'read' ? READ_ONLY : TRACKING_EXEMPT,
): void {
  app.route({
    method,
    url: `${MLFLOW_PREFIX}/${path}`,
    config: { scope, audit },
    schema: { hide: true },
    handler: async (request, reply) => {
      const query = fieldsOf(request.query);
      const fields = method === 'GET' ? query : { ...query, ...fieldsOf(request.body) };
      const answer = await handler(fields, request, reply);
      return answer ?? {};
    },
  });
}
