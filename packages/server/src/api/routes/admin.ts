import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { DATABASE_FILE } from '../../server.js';
import { type TarFile, tarStream } from '../../util/tar.js';
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
          '`vigil restore` puts the file back on a stopped server. With `Accept: application/x-tar` (as `vigil backup` ' +
          'sends) the answer is a tar archive of that file (`vigil.duckdb`) and of the MLflow artifacts ' +
          '(`artifacts/blobs/…`, content-addressed files that are never changed, so those the database refers to are all there).',
        response: {
          200: {
            description: 'The backup file (a DuckDB database).',
            content: {
              'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
              'application/x-tar': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...errorResponses,
          503: ErrorBody,
          507: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\..*/, 'Z');
      const temporary = join(context.config.dataDir, `.backup-${crypto.randomUUID()}.duckdb`);
      try {
        await context.store.backup(temporary);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      reply.raw.once('close', () => void rm(temporary, { force: true }));
      if (/application\/x-tar/.test(request.headers.accept ?? '')) {
        // After the database copy: every blob it refers to was written before it was indexed.
        const files = [
          await tarEntry(DATABASE_FILE, temporary),
          ...(await artifactFiles(context.config.dataDir)),
        ];
        // Built on the server's disk first, as the database copy is: the download then never
        // depends on files that could go away meanwhile.
        const archive = `${temporary}.tar`;
        reply.raw.once('close', () => void rm(archive, { force: true }));
        try {
          await pipeline(tarStream(files), createWriteStream(archive, { mode: 0o600 }));
        } catch (error) {
          await rm(archive, { force: true });
          throw error;
        }
        reply
          .header('content-type', 'application/x-tar')
          .header('content-disposition', `attachment; filename="vigil-backup-${stamp}.tar"`);
        return reply.send(createReadStream(archive) as unknown as string);
      }
      reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="vigil-backup-${stamp}.duckdb"`);
      // A stream is sent as is; the type provider only knows the documented string.
      return reply.send(createReadStream(temporary) as unknown as string);
    },
  );
}

async function tarEntry(name: string, path: string): Promise<TarFile> {
  const info = await stat(path);
  return { name, path, size: info.size, mtimeMs: info.mtimeMs };
}

/** The artifact store's blobs (`<data dir>/artifacts/blobs/<xx>/<sha256>`). */
async function artifactFiles(dataDir: string): Promise<TarFile[]> {
  const root = join(dataDir, 'artifacts', 'blobs');
  const files: TarFile[] = [];
  const folders = await readdir(root).catch(() => [] as string[]);
  for (const folder of folders.sort()) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue;
    for (const blob of (await readdir(join(root, folder))).sort()) {
      if (!/^[0-9a-f]{64}$/.test(blob)) continue;
      files.push(await tarEntry(`artifacts/blobs/${folder}/${blob}`, join(root, folder, blob)));
    }
  }
  return files;
}
