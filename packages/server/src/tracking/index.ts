/**
 * MLflow's tracking and registry REST API (`/api/2.0/mlflow/...`) and artifact proxy
 * (`/api/2.0/mlflow-artifacts/...`), so MLflow's own client logs to Vigil. Authenticated like
 * every /api/v1 route (`MLFLOW_TRACKING_TOKEN` is a Vigil API key); errors in MLflow's shape.
 */
import { join } from 'node:path';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { authenticate } from '../auth/authenticate.js';
import { registerRegistryMlflowRoutes } from '../registry/mlflow-routes.js';
import { LocalArtifactStore } from './artifact-store.js';
import { registerArtifactRoutes } from './artifacts.js';
import { registerLoggedModelRoutes } from './logged-models.js';
import { toMlflowBody } from './mlflow-errors.js';
import type { MlflowContext } from './route.js';
import { registerRunRoutes } from './runs.js';

export { type ArtifactBlobStore, ArtifactTooLargeError, LocalArtifactStore } from './artifact-store.js';
export { artifactSegments } from './artifacts.js';
export { parseRunFilter, parseRunOrder } from './filter.js';
export { MlflowError } from './mlflow-errors.js';

export type ErrorBodyOf = (error: FastifyError | Error) => {
  status: number;
  body: { error: string; message: string };
};

export async function registerMlflowApi(
  app: FastifyInstance,
  context: AppContext,
  errorBody: ErrorBodyOf,
  now: () => number = Date.now,
): Promise<void> {
  const mlflow: MlflowContext = {
    store: context.store,
    artifacts: new LocalArtifactStore(join(context.config.dataDir, 'artifacts')),
    maxArtifactBytes: context.config.maxArtifactBytes,
    now,
  };
  app.addHook('onRequest', authenticate(context));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = errorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.warn({ status, code: body.error }, body.message);
    reply.status(status).send(toMlflowBody(status, body));
  });
  registerRunRoutes(app, mlflow);
  registerLoggedModelRoutes(app, mlflow);
  registerRegistryMlflowRoutes(app, mlflow);
  await app.register(async (artifacts) => registerArtifactRoutes(artifacts, mlflow));
}
