import { API_KEY_SCOPES, type ApiKeyScope } from '@vigil/server/domain';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.js';

interface CreateFlags {
  dataDir: string;
  admin?: boolean;
  scope?: string;
  name?: string;
}

/**
 * `vigil keys create --admin --data-dir <dir>`: creates a key directly in a stopped server's
 * database, the recovery path when no admin key is left (with a running server, create keys
 * through the API instead).
 */
export function register(program: Command, io: CliIo): void {
  const keys = program
    .command('keys')
    .summary('create API keys in a data folder (server stopped)')
    .description('Manage API keys in a data folder (server stopped)');
  keys
    .command('create')
    .description('Create an API key in the data folder of a stopped server and print it once')
    .requiredOption('-d, --data-dir <dir>', 'data folder of the stopped server')
    .option('--admin', 'create an admin key (same as --scope admin)')
    .option('--scope <scope>', 'admin, write or read (default: admin)')
    .option('--name <name>', 'name shown in key listings', 'recovery-admin')
    .addHelpText(
      'after',
      `
The server must be stopped: a running server holds the database, and this command then
refuses with a message saying so (use POST /api/v1/keys with an admin key instead).`,
    )
    .action(async (flags: CreateFlags) => {
      const scope = flags.admin ? 'admin' : (flags.scope ?? 'admin');
      if (!API_KEY_SCOPES.includes(scope as ApiKeyScope)) {
        throw new CliError(`--scope must be admin, write or read; got "${scope}".`);
      }
      if (flags.admin && flags.scope !== undefined && flags.scope !== 'admin') {
        throw new CliError('--admin and --scope disagree; give one of them.');
      }
      const { createKeyInDataDir, StartupError } = await import('@vigil/server');
      const { resolve } = await import('node:path');
      try {
        const { key, row } = await createKeyInDataDir(resolve(io.cwd, flags.dataDir), {
          name: flags.name ?? 'recovery-admin',
          scope: scope as ApiKeyScope,
        });
        io.stderr.write(`Created ${row.scope} key ${row.id} ("${row.name}"). It is shown once:\n`);
        io.stdout.write(`${key}\n`);
      } catch (error) {
        if (error instanceof StartupError) throw new CliError(error.message);
        throw error;
      }
    });
}
