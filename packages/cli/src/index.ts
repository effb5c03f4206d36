export { type IngestConfig, type IngestFlags, resolveIngestConfig } from './ingest/config.js';
export { columnRole, csvValue, toLabel, toPrediction } from './ingest/mapping.js';
export { formatSummary, type IngestSummary, type RejectedRow, runIngest } from './ingest/run.js';
export {
  CliError,
  type CliIo,
  type CommandModule,
  ExitCode,
  type OutputStream,
  type RegisterCommand,
} from './io.js';
export { createProgram, loadCommands, run } from './program.js';
