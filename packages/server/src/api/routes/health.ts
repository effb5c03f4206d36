import { z } from 'zod';
import type { AppContext } from '../../app.js';
import type { TypedApp } from '../typed-app.js';

export function registerHealthRoutes(app: TypedApp, context: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the store answers and can write',
        security: [],
        response: {
          200: z.object({ status: z.literal('ready'), engine: z.string() }),
          503: z
            .object({
              status: z.literal('not_ready'),
              engine: z.string(),
              reason: z.string(),
              message: z.string(),
              since: z.string(),
            })
            .describe('The store cannot write (e.g. disk full); the server recovers by itself.'),
        },
      },
    },
    async (_request, reply) => {
      const health = context.store.health();
      if (!health.writable) {
        reply.status(503);
        return {
          status: 'not_ready' as const,
          engine: context.store.engine,
          reason: health.reason,
          message: health.message,
          since: health.since.toISOString(),
        };
      }
      await context.store.countApiKeys();
      return { status: 'ready' as const, engine: context.store.engine };
    },
  );
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Content-Type', context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });
}
