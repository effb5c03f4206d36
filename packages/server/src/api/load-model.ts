import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app.js';
import { NotFoundError } from '../errors.js';
import type { ModelRow } from '../storage/types.js';

/** The model named in the route, in the caller's project, or a 404 that says how to create it. */
export async function loadModel(
  context: AppContext,
  request: FastifyRequest,
  name: string,
): Promise<ModelRow> {
  const model = await context.store.getModel(request.auth.projectId, name);
  if (!model) {
    throw new NotFoundError(`Model "${name}" does not exist; create it with POST /api/v1/models.`);
  }
  return model;
}
