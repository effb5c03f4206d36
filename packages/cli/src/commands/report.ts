import { TASKS } from '@vigil/server/domain';
import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { FAIL_ON, type FailOn, formatOutcome, runReport } from '../report/run.js';
import type { Task } from '../report/types.js';

const help = `
Compares a current data set with a reference (e.g. the training data) offline, with the same
methods and thresholds as the server's default monitors, and writes a self-contained HTML report
(and with --json the same numbers as JSON; schema in docs/report.schema.json).

Inputs: CSV, Parquet, NDJSON/JSONL or JSON files; CSV, NDJSON and JSON may be gzipped (.gz).
Every reference column except those named by --target, --prediction, --score, --segment and
--ignore is a feature and must be in the current file too.

Exit codes: 0 report written and no --fail-on check failed; 1 report written and a --fail-on
check failed; 2 failure (bad arguments, unreadable input, a missing column), nothing written.

Examples:
  vigil report --reference train.parquet --current last_week.csv --out report.html
  vigil report --reference train.csv --current today.csv.gz --target y --prediction y_hat \\
    --score p --segment region --out report.html --json report.json --fail-on drift
`;

interface ReportFlags {
  reference: string;
  current: string;
  out: string;
  json?: string;
  target?: string;
  prediction?: string;
  score?: string;
  segment?: string;
  ignore?: string;
  task?: string;
  failOn?: string[];
  memoryBudget?: string;
}

export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('report')
    .summary('compare a data set with a reference and write an HTML drift report')
    .description(
      'Compare a current data set with a reference offline and write a self-contained HTML report.',
    )
    .requiredOption('--reference <file>', 'reference data (e.g. the training set)')
    .requiredOption('--current <file>', 'current data to compare with it')
    .requiredOption('--out <file>', 'where to write the HTML report')
    .option('--json <file>', 'also write the numbers as JSON')
    .option('--target <column>', 'column with the true outcome (performance, label drift)')
    .option('--prediction <column>', "column with the model's prediction")
    .option('--score <column>', 'column with the score of the positive class (binary classifiers)')
    .option('--segment <column>', 'sensitive or segment column (fairness)')
    .option('--ignore <columns>', 'comma-separated columns to leave out (ids, timestamps)')
    .addOption(
      new Option('--task <task>', 'the model task (inferred from the prediction otherwise)').choices(TASKS),
    )
    .addOption(
      new Option('--fail-on <checks...>', 'exit with 1 when one of these checks fails').choices([...FAIL_ON]),
    )
    .option(
      '--memory-budget <MiB>',
      'memory for column values while reading (default 16); the rest wait in a temporary file',
    )
    .addHelpText('after', help)
    .action(async (flags: ReportFlags) => {
      const failOn = (flags.failOn ?? []).flatMap((f) => f.split(',')).filter((f) => f !== '');
      for (const f of failOn) {
        if (!(FAIL_ON as readonly string[]).includes(f))
          throw new CliError(`--fail-on takes ${FAIL_ON.join(', ')}; got '${f}'`);
      }
      let memoryBudgetBytes: number | undefined;
      if (flags.memoryBudget !== undefined) {
        const mib = Number(flags.memoryBudget);
        if (!(Number.isFinite(mib) && mib >= 0))
          throw new CliError(
            `--memory-budget takes a number of MiB (0 or more); got '${flags.memoryBudget}'`,
          );
        memoryBudgetBytes = mib * 2 ** 20;
      }
      const outcome = await runReport({
        reference: flags.reference,
        current: flags.current,
        out: flags.out,
        ...(flags.json !== undefined ? { json: flags.json } : {}),
        ...(flags.target !== undefined ? { target: flags.target } : {}),
        ...(flags.prediction !== undefined ? { prediction: flags.prediction } : {}),
        ...(flags.score !== undefined ? { score: flags.score } : {}),
        ...(flags.segment !== undefined ? { segment: flags.segment } : {}),
        ...(flags.ignore !== undefined
          ? {
              ignore: flags.ignore
                .split(',')
                .map((c) => c.trim())
                .filter((c) => c !== ''),
            }
          : {}),
        ...(flags.task !== undefined ? { task: flags.task as Task } : {}),
        failOn: failOn as FailOn[],
        ...(memoryBudgetBytes !== undefined ? { memoryBudgetBytes } : {}),
        cwd: io.cwd,
        progressStream: io.stderr,
      });
      io.stdout.write(formatOutcome(outcome, flags.out, flags.json));
      setExitCode(outcome.exitCode);
    });
}
