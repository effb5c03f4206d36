/**
 * MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/<path>`): upload (PUT),
 * download (GET) and list (GET `?path=`). Every path is confined to a run's or a logged
 * model's artifact folder in the caller's project: `<experiment>/<run>/artifacts/...` or
 * `<experiment>/models/<model>/artifacts/...`, with no `..`, `.`, empty or absolute parts.
 */

import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ArtifactTooLargeError } from './artifact-store.js';
import { doesNotExist, invalidParameter, MlflowError } from './mlflow-errors.js';
import type { MlflowContext } from './route.js';
import { TRACKING_EXEMPT } from './route.js';

export const ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts';
const MAX_PATH_LENGTH = 4096;
const MAX_LISTED = 10_000;

/** Splits and checks an artifact path; throws a 400 that says what is wrong with it. */
export function artifactSegments(path: string): string[] {
  if (path.length > MAX_PATH_LENGTH)
    throw invalidParameter(`The artifact path is over ${MAX_PATH_LENGTH} characters.`);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw invalidParameter(`Invalid artifact path '${path.slice(0, 200)}': absolute paths are not allowed.`);
  }
  if (/[\\\0]/.test(path)) {
    throw invalidParameter(
      `Invalid artifact path '${path.slice(0, 200)}': backslashes and NUL are not allowed.`,
    );
  }
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) {
    throw invalidParameter(`Invalid artifact path '${path.slice(0, 200)}': '.' and '..' are not allowed.`);
  }
  if (segments.some((s) => s === '')) {
    throw invalidParameter(
      `Invalid artifact path '${path.slice(0, 200)}': empty path segments are not allowed.`,
    );
  }
  return segments;
}

/** Checks that the path lies in an artifact folder of the caller's project; answers its depth of the root. */
async function confine(context: MlflowContext, request: FastifyRequest, segments: string[]): Promise<number> {
  const [experiment, second, third, fourth] = segments;
  const projectId = request.auth.projectId;
  const outside = () =>
    doesNotExist(
      `No artifact folder at '${segments.join('/').slice(0, 200)}': artifact paths are <experiment id>/<run id>/artifacts/... or <experiment id>/models/<model id>/artifacts/...`,
    );
  if (!experiment || !/^\d{1,9}$/.test(experiment) || !second) throw outside();
  if (second === 'models') {
    if (!third || fourth !== 'artifacts') throw outside();
    const model = await context.store.tracking.getLoggedModel(projectId, third);
    if (!model || String(model.experimentId) !== experiment) throw outside();
    return 4;
  }
  if (third !== 'artifacts') throw outside();
  const run = await context.store.tracking.getRun(projectId, second);
  if (!run || String(run.experimentId) !== experiment) throw outside();
  return 3;
}

function pathFromUrl(url: string): string {
  const raw = url.split('?', 1)[0]!.slice(ARTIFACTS_PREFIX.length).replace(/^\//, '');
  try {
    return raw
      .split('/')
      .map((s) => {
        const decoded = decodeURIComponent(s);
        if (decoded.includes('/'))
          throw invalidParameter('An artifact path segment may not contain an encoded "/".');
        return decoded;
      })
      .join('/');
  } catch (error) {
    if (error instanceof MlflowError) throw error;
    throw invalidParameter('The artifact path is not valid (a bad %-escape).');
  }
}

export function registerArtifactRoutes(app: FastifyInstance, context: MlflowContext): void {
  const { store } = context;
  // Uploads arrive with the file's own content type; the body stays a stream, written as it comes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.put(
    `${ARTIFACTS_PREFIX}/*`,
    { config: { scope: 'write', audit: TRACKING_EXEMPT }, schema: { hide: true } },
    async (request) => {
      const path = pathFromUrl(request.url);
      const segments = artifactSegments(path);
      const depth = await confine(context, request, segments);
      if (segments.length <= depth) {
        throw invalidParameter(
          `'${path.slice(0, 200)}' is an artifact folder; upload to a file path inside it.`,
        );
      }
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') {
        throw invalidParameter('The upload has no body.');
      }
      try {
        const blob = await context.artifacts.put(body, context.maxArtifactBytes);
        await store.tracking.putArtifactFile(request.auth.projectId, { path, ...blob }, context.now());
      } catch (error) {
        if (error instanceof ArtifactTooLargeError) {
          throw new MlflowError('REQUEST_LIMIT_EXCEEDED', `${error.message} (VIGIL_MAX_ARTIFACT_MB)`);
        }
        throw error;
      }
      return {};
    },
  );

  app.get(
    `${ARTIFACTS_PREFIX}/*`,
    { config: { scope: 'read' }, schema: { hide: true } },
    async (request, reply) => {
      const path = pathFromUrl(request.url);
      const segments = artifactSegments(path);
      await confine(context, request, segments);
      const file = await store.tracking.getArtifactFile(request.auth.projectId, path);
      if (!file) throw doesNotExist(`No artifact at '${path.slice(0, 200)}'.`);
      const stream = await context.artifacts.open(file.digest);
      if (!stream)
        throw doesNotExist(
          `The bytes of artifact '${path.slice(0, 200)}' are missing from the artifact store.`,
        );
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-length', String(file.size));
      return reply.send(stream);
    },
  );

  app.get(ARTIFACTS_PREFIX, { config: { scope: 'read' }, schema: { hide: true } }, async (request) => {
    const query = request.query as { path?: unknown };
    const path = typeof query.path === 'string' ? query.path.replace(/\/+$/, '') : '';
    if (path === '')
      throw invalidParameter(
        "Listing needs 'path': an artifact folder such as <experiment id>/<run id>/artifacts.",
      );
    const segments = artifactSegments(path);
    await confine(context, request, segments);
    const file = await store.tracking.getArtifactFile(request.auth.projectId, path);
    if (file)
      return { files: [{ path: segments[segments.length - 1], is_dir: false, file_size: file.size }] };
    const entries = await store.tracking.listArtifactEntries(request.auth.projectId, path, MAX_LISTED);
    return {
      files: entries.map((e) => ({
        path: e.name,
        is_dir: e.isDir,
        ...(e.size !== null ? { file_size: e.size } : {}),
      })),
    };
  });
}
