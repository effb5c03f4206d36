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
        summary: 'Readiness: the store answers',
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), engine: z.string() }) },
      },
    },
    async () => {
      await context.store.countApiKeys();
      return { status: 'ready' as const, engine: context.store.engine };
    },
  );
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Content-Type', context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });
}
