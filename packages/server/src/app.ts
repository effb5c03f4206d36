/**
 * The app factory: builds a Fastify instance around a store, without listening, so
 * tests and the CLI start real servers the same way.
 */
import { createGunzip } from 'node:zlib';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AlertEngine, type AlertNotifier, OutboxNotifier } from './alerts/index.js';
import { registerResponseCompression } from './api/compression.js';
import { addStandardErrorResponses, methodNotAllowed } from './api/conventions.js';
import { isDocumentationOnly } from './api/documentation-only.js';
import { registerAdminRoutes } from './api/routes/admin.js';
import { registerAlertRoutes } from './api/routes/alerts.js';
import { registerChannelRoutes } from './api/routes/channels.js';
import { registerDashboardRoutes } from './api/routes/dashboard.js';
import { registerDemoRoutes } from './api/routes/demo.js';
import { registerHealthRoutes } from './api/routes/health.js';
import { registerIngestRoutes } from './api/routes/ingest.js';
import { registerKeyRoutes } from './api/routes/keys.js';
import { registerModelRoutes } from './api/routes/models.js';
import { registerMonitorRoutes } from './api/routes/monitors.js';
import { registerOverviewRoutes } from './api/routes/overview.js';
import { registerPredictionRoutes } from './api/routes/predictions.js';
import { registerSessionRoutes } from './api/routes/session.js';
import { registerUserRoutes } from './api/routes/users.js';
import { closeConnectionsOnShutdown } from './api/shutdown.js';
import { registerBodyRateGuard, serverTimeouts } from './api/slow-clients.js';
import { recordChanges, registerAuditRefusals, registerAuditRoutes } from './audit/index.js';
import { authenticate, KeyCache } from './auth/authenticate.js';
import { SessionService } from './auth/sessions.js';
import { registerComparisonRoutes } from './compare/index.js';
import type { VigilConfig } from './config.js';
import { DashboardService } from './dashboard/index.js';
import { DemoService } from './demo/index.js';
import { MAX_NAME_LENGTH } from './domain/index.js';
import { BadRequestError, VigilError } from './errors.js';
import { shapeProblem } from './ingest/values.js';
import { readableLogStream } from './logging.js';
import { createMetrics, type Metrics, registerActivityMetrics } from './metrics/registry.js';
import { MonitorService } from './monitors/index.js';
import { NotificationService } from './notify/index.js';
import { registerRegistryRoutes } from './registry/index.js';
import { ColumnCatalog } from './services/columns.js';
import { IngestService } from './services/ingest.js';
import type { Store } from './storage/types.js';
import { registerMlflowApi } from './tracking/index.js';
import { registerWebApp } from './web/index.js';

export const VIGIL_VERSION = '0.1.0';

export interface AppDependencies {
  store: Store;
  metrics?: Metrics;
  /** Built around the store and the app's logger when not given. */
  notifications?: NotificationService;
  /** Where alert notifications go; the notification outbox by default. */
  notifier?: AlertNotifier;
  /** Clock of alerting and sessions (epoch ms); injectable for tests. */
  now?: () => number;
}

export interface AppContext {
  config: VigilConfig;
  store: Store;
  metrics: Metrics;
  columns: ColumnCatalog;
  ingest: IngestService;
  keyCache: KeyCache;
  sessions: SessionService;
  /** The server's clock (epoch ms); injectable for tests. */
  now: () => number;
  notifications: NotificationService;
  alerts: AlertEngine;
  monitors: MonitorService;
  dashboard: DashboardService;
  demo: DemoService;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Evaluation of monitors; `startServer` starts its background loop. */
    monitors: MonitorService;
    /** Delivery of notifications; `startServer` starts its background loop. */
    notifications: NotificationService;
    /** The alert engine; `startServer` starts it, closing the app stops it. */
    alerts: AlertEngine;
    /** The demo's live traffic; `startServer` resumes it, closing the app stops it. */
    demo: DemoService;
  }
}

export type App = FastifyInstance;

/** A longer path parameter is answered 414: every name and id that can be created fits. */
export const MAX_PATH_PARAMETER_LENGTH = MAX_NAME_LENGTH;

export function errorBody(error: FastifyError | VigilError | Error): {
  status: number;
  body: { error: string; message: string; details?: unknown };
} {
  if (error instanceof VigilError) {
    return {
      status: error.statusCode,
      body: {
        error: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'request';
    const details = fastifyError.validation.map((issue) => {
      const params = issue.params as { issue?: { path?: (string | number)[] } } | undefined;
      const path =
        params?.issue?.path?.join('.') ?? issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: path ? `${context}.${path}` : context, message: issue.message };
    });
    return {
      status: 400,
      body: {
        error: 'validation_failed',
        message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
        details,
      },
    };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: 'body_too_large',
          message: 'The request body is over the size limit; send smaller batches.',
        },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: fastifyError.message } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        body: { error: 'bad_request', message: 'The request body is empty; send JSON.' },
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        body: { error: 'bad_request', message: 'The body length does not match Content-Length.' },
      };
  }
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const message =
      error instanceof SyntaxError
        ? `The body is not valid JSON: ${error.message}.`
        : (fastifyError as { code?: string }).code?.startsWith('Z_')
          ? `The body is not valid gzip: ${error.message}.`
          : error.message;
    return { status: fastifyError.statusCode, body: { error: 'bad_request', message } };
  }
  return { status: 500, body: { error: 'internal_error', message: 'Internal server error.' } };
}

function routerErrorBody(error: FastifyError): { status: number; body: { error: string; message: string } } {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return {
      status: 414,
      body: {
        error: 'uri_too_long',
        message: `A path parameter is over ${MAX_PATH_PARAMETER_LENGTH} characters, the longest this server accepts.`,
      },
    };
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return { status: 400, body: { error: 'bad_request', message: 'The URL is not valid (a bad %-escape).' } };
  }
  return errorBody(error);
}

/** The zod transform, plus the `Retry-After` header that 429 and 503 answers may carry. */
function documentRetryAfter(document: Parameters<typeof jsonSchemaTransform>[0]) {
  const transformed = jsonSchemaTransform(document);
  const responses = (transformed.schema as { response?: Record<string, Record<string, unknown>> }).response;
  for (const status of ['429', '503']) {
    const response = responses?.[status];
    if (response) {
      response.headers = {
        'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before retrying.' },
      };
    }
  }
  return transformed;
}

/** Binary bodies (Arrow, Parquet) are documented as bytes, not as the JSON schema of the records. */
const BINARY_BODIES = new Set(['application/vnd.apache.arrow.stream', 'application/vnd.apache.parquet']);

function documentBinaryBodies(document: Parameters<typeof jsonSchemaTransformObject>[0]) {
  const spec = jsonSchemaTransformObject(document) as {
    paths?: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>
    >;
  };
  for (const operations of Object.values(spec.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const content = operation.requestBody?.content ?? {};
      // Every media type of a route shares one object: replace the entry, never edit it.
      for (const media of Object.keys(content)) {
        if (BINARY_BODIES.has(media)) content[media] = { schema: { type: 'string', format: 'binary' } };
      }
    }
  }
  return spec as ReturnType<typeof jsonSchemaTransformObject>;
}

export async function buildApp(config: VigilConfig, deps: AppDependencies): Promise<App> {
  const metrics = deps.metrics ?? createMetrics();
  if (!deps.metrics) registerActivityMetrics(metrics, () => deps.store.writerActivity?.());
  const columns = new ColumnCatalog(deps.store, config.maxColumnsPerModel);
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      ...(config.logFormat === 'pretty' ? { stream: readableLogStream(process.stdout) } : {}),
    },
    // One line per request only at debug level (see the onResponse hook), not two at info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    // Names and ids are path segments: accept every one that can be created (default 100).
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    ...serverTimeouts(config),
    genReqId: () => crypto.randomUUID(),
    // Errors the router raises before any route runs answer with the same error body.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = routerErrorBody(error);
      reply.status(status).send(body);
    },
  });
  const notifications =
    deps.notifications ??
    new NotificationService(deps.store, config, app.log.child({ component: 'notify' }), { metrics });
  const monitors = new MonitorService(
    deps.store,
    columns,
    app.log.child({ component: 'monitors' }),
    config.monitoring,
  );
  const ingest = new IngestService(deps.store, columns, metrics, monitors);
  const context: AppContext = {
    config,
    store: deps.store,
    metrics,
    columns,
    monitors,
    dashboard: new DashboardService(deps.store, columns, deps.now),
    ingest,
    demo: new DemoService({
      store: deps.store,
      columns,
      ingest,
      log: app.log.child({ component: 'demo' }),
      ...(deps.now ? { now: deps.now } : {}),
    }),
    keyCache: new KeyCache((hash) => deps.store.findApiKeyByHash(hash)),
    sessions: new SessionService(deps.store, config.sessions, deps.now ?? Date.now),
    now: deps.now ?? Date.now,
    notifications,
    alerts: new AlertEngine({
      store: deps.store,
      notifier:
        deps.notifier ??
        new OutboxNotifier(deps.store, notifications, app.log.child({ component: 'alerts' })),
      externalUrl: config.externalUrl ?? `http://localhost:${config.port}`,
      log: app.log.child({ component: 'alerts' }),
      ...(deps.now ? { now: deps.now } : {}),
    }),
  };
  // The demo stops sending before evaluation and the store stop.
  app.decorate('demo', context.demo);
  app.addHook('onClose', () => context.demo.stop());
  // The engine stops first, so nothing is enqueued after the outbox stopped delivering.
  app.decorate('alerts', context.alerts);
  // Alerting follows results as soon as evaluation stores them (its own tick is the fallback).
  monitors.onResults(() => void context.alerts.poke());
  app.addHook('onClose', () => context.alerts.stop());
  app.decorate('notifications', notifications);
  app.decorate('monitors', monitors);
  app.addHook('onClose', async () => monitors.stop());
  // In-flight deliveries finish (or are handed back to the outbox) before the store closes.
  app.addHook('onClose', async () => notifications.stop());

  app.setValidatorCompiler((route) =>
    isDocumentationOnly(route.schema)
      ? (data: unknown) => ({ value: data })
      : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]),
  );
  app.setSerializerCompiler(serializerCompiler);

  // JSON bodies of the non-ingest routes: Fastify's parser answers every refused key with a
  // generic "not valid JSON"; this one says which rule the body breaks.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text === '') return done(new BadRequestError('The request body is empty; send JSON.'), undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return done(new BadRequestError(`The body is not valid JSON: ${(error as Error).message}.`), undefined);
    }
    const problem = shapeProblem(value, 'body');
    done(problem === null ? null : new BadRequestError(`${problem}.`), value);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = errorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.warn({ status, code: body.error }, body.message);
    if (error instanceof VigilError && 'retryAfterSeconds' in error) {
      reply.header('Retry-After', String((error as { retryAfterSeconds: number }).retryAfterSeconds));
    }
    reply.status(status).send(body);
  });
  // Before any route is added: every route documents the errors it can answer, and a
  // method a path does not support is a 405 with Allow.
  app.addHook('onRoute', addStandardErrorResponses);
  // Every state-changing route records its changes in the audit trail, or says why not.
  app.addHook('onRoute', recordChanges({ store: deps.store, now: context.now }));
  app.addHook('onRequest', methodNotAllowed(app));
  // JSON answers of every route (API, MLflow, errors) compressed when the client accepts it.
  registerResponseCompression(app);
  const webApp = await registerWebApp(app, config.webDir);
  app.setNotFoundHandler((request, reply) => {
    if (webApp.answerClientRoute(request, reply)) return;
    reply.status(404).send({ error: 'not_found', message: `No route for ${request.method} ${request.url}.` });
  });

  // Request metrics, labelled by route pattern so ids do not explode the label set.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  // Gzip request bodies: decompressed on the fly; the body limit applies after decompression.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.toLowerCase();
    if (!encoding || encoding === 'identity') return payload;
    if (encoding !== 'gzip') {
      throw new VigilError(
        415,
        'unsupported_encoding',
        `Content-Encoding "${encoding}" is not supported; use gzip.`,
      );
    }
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength: number };
    gunzip.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength += chunk.length;
    });
    payload.pipe(gunzip);
    return gunzip;
  });
  registerBodyRateGuard(app, config, metrics);
  closeConnectionsOnShutdown(app, config.shutdownGraceMs);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: VIGIL_VERSION,
        description:
          'Log predictions and late labels, upload reference data, and manage models. ' +
          'Every /api/v1 route needs `Authorization: Bearer <api key>`, or the `vigil_session` cookie of a ' +
          'signed-in user (`POST /api/v1/session`) and, for POST, PUT, PATCH and DELETE, the header ' +
          '`X-CSRF-Token`. JSON field names are snake_case.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A Vigil API key.' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'vigil_session',
            description:
              'The session of a signed-in user (POST /api/v1/session); state-changing requests also need `X-CSRF-Token`.',
          },
        },
      },
      security: [{ apiKey: [] }, { sessionCookie: [] }],
    },
    transform: documentRetryAfter,
    transformObject: documentBinaryBodies,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  registerHealthRoutes(typed, context);
  typed.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => typed.swagger());
  registerSessionRoutes(typed, context);
  registerAuditRefusals(app);

  await app.register(async (api) => {
    api.addHook('onRequest', authenticate(context));
    const scoped = api.withTypeProvider<ZodTypeProvider>();
    registerModelRoutes(scoped, context);
    registerPredictionRoutes(scoped, context);
    registerKeyRoutes(scoped, context);
    registerUserRoutes(scoped, context);
    registerAdminRoutes(scoped, context);
    registerAlertRoutes(scoped, context);
    registerChannelRoutes(scoped, context);
    registerMonitorRoutes(scoped, context);
    registerDashboardRoutes(scoped, context);
    registerDemoRoutes(scoped, context);
    registerOverviewRoutes(scoped, context);
    registerRegistryRoutes(scoped, context, deps.now);
    registerComparisonRoutes(scoped, context, deps.now);
    registerAuditRoutes(scoped, context.store);
    await api.register(async (ingestScope) =>
      registerIngestRoutes(ingestScope.withTypeProvider<ZodTypeProvider>(), context),
    );
  });

  await app.register(async (mlflow) => registerMlflowApi(mlflow, context, errorBody, deps.now));

  return app;
}
