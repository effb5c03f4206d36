import { type Command, Option } from 'commander';
import {
  defaultBatchSize,
  defaultUrl,
  formats,
  type IngestFlags,
  kinds,
  resolveIngestConfig,
} from '../ingest/config.js';
import { formatSummary, runIngest } from '../ingest/run.js';
import { type CliIo, ExitCode } from '../io.js';

const mappingHelp = `
Column mapping (CSV, Parquet and flat JSON/NDJSON rows):
  The id, timestamp, prediction, score, class score, label and segment columns are those the
  model schema names (id_field, timestamp_field, prediction_field, score_field,
  class_score_fields, label_field, segments; by default id, timestamp, prediction, score,
  label), unless a --*-column option names them.
  predictions  id, timestamp, version, prediction, score and label columns are read as such;
               score_<class> or scores.<class>    -> scores[<class>]
               segment_<name> or segments.<name>  -> segments[<name>]
               features.<name> and every other column -> features[<name>]
               JSON rows with a "features" object are sent as they are.
               Rows without an id get one derived from the file name, row position and
               content, so ingesting the same file twice stores its rows once.
               CSV and Parquet files are read by column and sent as Arrow IPC.
  labels       the id, label and timestamp columns; other columns are ignored.
  reference    CSV is sent as it is, in chunks that each repeat the header; other formats
               are sent as JSON rows (flat or record-shaped). --id-column, --timestamp-column,
               --prediction-column, --score-column and --label-column are passed on to the
               server. Each chunk is one upload the server remembers, so running the same
               command again stores nothing twice; --replace replaces the data set's rows.
  A CSV row with a wrong number of fields is listed as rejected with its line number and
  not sent (--stop-on-error stops there instead).
  CSV cells: empty -> missing, numbers (without leading zeros) -> numbers,
             true/false -> booleans, anything else -> text.

API key: --api-key, else $VIGIL_API_KEY, else <data dir>/admin.key when the server is on
localhost (data dir: $VIGIL_DATA_DIR or ./vigil-data).

Exit codes: 0 all rows accepted, 1 some rows rejected, 2 failure (bad arguments, unreadable
file, server unreachable after retries, authentication refused).

Examples:
  vigil ingest predictions.csv --model fraud
  vigil ingest labels.ndjson --model fraud --kind labels
  vigil ingest train.parquet --model fraud --kind reference --version v3
`;

export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('ingest')
    .summary('send predictions, labels or reference data from a file')
    .description(
      'Send predictions, labels or reference data from a CSV, Parquet, NDJSON or JSON file (CSV, NDJSON and ' +
        'JSON may be gzipped) to a Vigil server, streaming it in batches with retries.',
    )
    .argument(
      '<file>',
      'file to read (.csv, .parquet, .ndjson/.jsonl, .json; CSV/NDJSON/JSON may end in .gz)',
    )
    .requiredOption('-m, --model <name>', 'model the records belong to')
    .addOption(new Option('-k, --kind <kind>', 'what the file holds').choices(kinds).default('predictions'))
    .addOption(new Option('--url <url>', `Vigil server URL (default: $VIGIL_URL or ${defaultUrl})`))
    .option('--api-key <key>', 'API key (default: $VIGIL_API_KEY, then the local admin key)')
    .option('--batch-size <n>', 'records per request', String(defaultBatchSize))
    .option(
      '--version <version>',
      'model version: fills rows without one; for reference data, the version it belongs to',
    )
    .option('--dataset <name>', 'reference data set name (--kind reference)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(formats))
    .option('--id-column <name>', "column holding the record id (default: the schema's id_field, else id)")
    .option(
      '--timestamp-column <name>',
      "column holding the prediction time (default: the schema's timestamp_field, else timestamp)",
    )
    .option(
      '--prediction-column <name>',
      "column holding the prediction (default: the schema's prediction_field, else prediction)",
    )
    .option(
      '--score-column <name>',
      "column holding the positive-class score (default: the schema's score_field, else score)",
    )
    .option(
      '--class-score-columns <class=column,...>',
      "columns holding per-class scores (default: the schema's class_score_fields)",
    )
    .option(
      '--label-column <name>',
      "column holding the true outcome (default: the schema's label_field, else label)",
    )
    .option('--segment-columns <a,b,...>', "columns that are segments (default: the schema's segments)")
    .option('--replace', "reference: replace the data set's rows instead of appending to them")
    .option('--stop-on-error', 'stop at the first row that cannot be read instead of listing it as rejected')
    .option('--retries <n>', 'retries of a failed request (network errors, 5xx, 429, 503)', '8')
    .addHelpText('after', mappingHelp)
    .action(async (file: string, flags: IngestFlags) => {
      const config = resolveIngestConfig(file, flags, io.env, io.cwd);
      const summary = await runIngest(config, io);
      io.stdout.write(formatSummary(config, summary));
      setExitCode(summary.rejected.length > 0 ? ExitCode.partial : ExitCode.ok);
    });
}
