import type { VigilConfig } from '@vigil/server';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.js';

interface StartFlags {
  port?: string;
  host?: string;
  dataDir?: string;
}

/** `vigil start`: runs the server with the embedded store until interrupted. */
export function register(program: Command, io: CliIo): void {
  program
    .command('start')
    .summary('start the Vigil server')
    .description('Start the Vigil server (embedded DuckDB store, no setup needed)')
    .option('-p, --port <port>', 'port to listen on (default: $VIGIL_PORT or 4000)')
    .option('--host <host>', 'address to bind (default: $VIGIL_HOST or 0.0.0.0)')
    .option('-d, --data-dir <dir>', 'data folder (default: $VIGIL_DATA_DIR or ./vigil-data)')
    .addHelpText(
      'after',
      `
Environment: VIGIL_PORT, VIGIL_HOST, VIGIL_DATA_DIR, VIGIL_ADMIN_KEY (admin key to create on
first start), VIGIL_LOG_LEVEL, VIGIL_LOG_FORMAT (pretty | json), VIGIL_MAX_BODY_MB, VIGIL_MAX_CONCURRENT_INGESTS, VIGIL_MAX_CONCURRENT_INGESTS_PER_KEY,
VIGIL_MAX_COLUMNS_PER_MODEL, VIGIL_HEADERS_TIMEOUT_S, VIGIL_REQUEST_TIMEOUT_S, VIGIL_MIN_BODY_RATE_KB,
VIGIL_BODY_RATE_GRACE_S, VIGIL_IDLE_TIMEOUT_S (see docs/operations.md).`,
    )
    .action(async (flags: StartFlags) => {
      const env = {
        ...io.env,
        ...(flags.port !== undefined ? { VIGIL_PORT: flags.port } : {}),
        ...(flags.host !== undefined ? { VIGIL_HOST: flags.host } : {}),
        ...(flags.dataDir !== undefined ? { VIGIL_DATA_DIR: flags.dataDir } : {}),
      };
      // The server (and its database engine) loads only when it is started, not for `vigil --help`.
      const { ConfigError, loadConfig, runServer, StartupError } = await import('@vigil/server');
      let config: VigilConfig;
      try {
        config = loadConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) throw new CliError(error.message);
        throw error;
      }
      try {
        await runServer(config);
      } catch (error) {
        if (error instanceof StartupError) throw new CliError(error.message);
        const code = (error as { code?: string }).code;
        if (code === 'EADDRINUSE') {
          throw new CliError(
            `Port ${config.port} is already in use; pick another with --port or VIGIL_PORT.`,
          );
        }
        throw error;
      }
    });
}
