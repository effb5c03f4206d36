import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.js';

interface BackupFlags {
  url?: string;
  apiKey?: string;
}

function isLocal(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * `vigil backup <file-or-dir>`: asks a running server for a consistent copy of its store
 * (`POST /api/v1/admin/backup`, admin key) and writes it to a file.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('backup')
    .summary('back up a running server into one file')
    .description(
      'Back up a running server: a consistent copy of its whole store and its MLflow artifacts, written to a file',
    )
    .argument('<file-or-dir>', 'file to write, or an existing folder to write vigil-backup-<time>.tar into')
    .option('--url <url>', 'Vigil server (default: $VIGIL_URL or http://localhost:4000)')
    .option(
      '--api-key <key>',
      'admin API key (default: $VIGIL_API_KEY, else <data dir>/admin.key on this machine)',
    )
    .action(async (destination: string, flags: BackupFlags) => {
      const urlText = flags.url ?? io.env.VIGIL_URL ?? 'http://localhost:4000';
      let url: URL;
      try {
        url = new URL('/api/v1/admin/backup', urlText);
      } catch {
        throw new CliError(`--url must be an http(s) URL; got '${urlText}'`);
      }
      let apiKey = flags.apiKey || io.env.VIGIL_API_KEY;
      if (!apiKey && isLocal(url)) {
        const keyFile = resolve(io.cwd, io.env.VIGIL_DATA_DIR || 'vigil-data', 'admin.key');
        if (existsSync(keyFile)) apiKey = readFileSync(keyFile, 'utf8').trim();
      }
      if (!apiKey) throw new CliError('An admin API key is needed: pass --api-key or set VIGIL_API_KEY.');

      let response: Response;
      try {
        // A tar of the database and the MLflow artifacts; a server without it answers the database alone.
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            accept: 'application/x-tar, application/octet-stream',
          },
        });
      } catch (error) {
        throw new CliError(`Cannot reach ${url.origin}: ${(error as Error).message}`);
      }
      if (response.status !== 200 || !response.body) {
        const text = await response.text();
        let message = text;
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          // not JSON: show it as it is
        }
        throw new CliError(`The server refused the backup (HTTP ${response.status}): ${message}`);
      }
      const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
      let target = resolve(io.cwd, destination);
      if (existsSync(target) && statSync(target).isDirectory()) {
        target = join(target, named ?? `vigil-backup-${Date.now()}.tar`);
      }
      // Written beside the target and renamed at the end, so a cut download never looks complete.
      const partial = `${target}.partial`;
      try {
        await pipeline(
          Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
          createWriteStream(partial, { mode: 0o600 }),
        );
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw new CliError(`The backup could not be written to ${target}: ${(error as Error).message}`);
      }
      io.stdout.write(`Backup written to ${target} (${statSync(target).size} bytes).\n`);
    });
}
