import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.js';

/** `vigil restore <backup> --data-dir <dir>`: puts a backup back, with the server stopped. */
export function register(program: Command, io: CliIo): void {
  program
    .command('restore')
    .summary('restore a backup into a data folder (server stopped)')
    .description('Restore a backup made by `vigil backup` into a data folder (server stopped)')
    .argument('<backup>', 'backup file')
    .requiredOption('-d, --data-dir <dir>', 'data folder of the stopped server')
    .addHelpText(
      'after',
      `
The backup is checked before anything changes; the database it replaces is kept beside it as
vigil.duckdb.replaced-<time>. A running server holds its database: stop it first.`,
    )
    .action(async (backup: string, flags: { dataDir: string }) => {
      const { restoreDataDir, StartupError } = await import('@vigil/server');
      const dataDir = resolve(io.cwd, flags.dataDir);
      try {
        const { replaced, artifacts } = await restoreDataDir(resolve(io.cwd, backup), dataDir);
        io.stdout.write(
          `Restored ${backup} into ${dataDir}${artifacts ? ` (with ${artifacts} artifact files)` : ''}.${replaced.length ? ` The replaced files are kept: ${replaced.join(', ')}.` : ''}\n`,
        );
      } catch (error) {
        if (error instanceof StartupError) throw new CliError(error.message);
        throw error;
      }
    });
}
