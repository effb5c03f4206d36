import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { ErrorBody, errorResponses } from '../schemas/common.js';
import type { TypedApp } from '../typed-app.js';

export function registerAdminRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/api/v1/admin/backup',
    {
      config: { scope: 'admin', audit: { exempt: 'copies the store; changes nothing' } },
      schema: {
        tags: ['operations'],
        summary: 'Back up the whole store while the server runs',
        description:
          'Answers with a consistent copy of the database file (`application/octet-stream`), taken at one instant: ' +
          'writes wait while the file is copied on the server, not while it is downloaded. `vigil backup` calls this; ' +
          '`vigil restore` puts the file back on a stopped server.',
        response: {
          200: {
            description: 'The backup file (a DuckDB database).',
            content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
          },
          ...errorResponses,
          503: ErrorBody,
          507: ErrorBody,
        },
      },
    },
    async (_request, reply) => {
      const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\..*/, 'Z');
      const temporary = join(context.config.dataDir, `.backup-${crypto.randomUUID()}.duckdb`);
      try {
        await context.store.backup(temporary);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      reply.raw.once('close', () => void rm(temporary, { force: true }));
      reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="vigil-backup-${stamp}.duckdb"`);
      // A stream is sent as is; the type provider only knows the documented string.
      return reply.send(createReadStream(temporary) as unknown as string);
    },
  );
}
