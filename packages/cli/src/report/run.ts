/** `vigil report`: read both files, compute, write the HTML (and JSON), decide the exit code. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Progress } from '../ingest/progress.js';
import { CliError, type OutputStream } from '../io.js';
import { type AnalyzeOptions, analyze } from './analyze.js';
import { ColumnStore, DEFAULT_MEMORY_BUDGET_BYTES } from './column-store.js';
import { renderHtml } from './html.js';
import { readTable, type Table } from './read.js';
import type { ReportData } from './types.js';

export const FAIL_ON = ['drift', 'quality', 'performance', 'fairness'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Exit codes of `vigil report`. */
export const ReportExitCode = {
  /** The report was written and no --fail-on check failed. */
  ok: 0,
  /** The report was written and a --fail-on check failed. */
  checkFailed: 1,
  /** Bad arguments or unreadable input; nothing written. */
  fatal: 2,
} as const;

export interface ReportRunOptions extends AnalyzeOptions {
  reference: string;
  current: string;
  out: string;
  json?: string;
  failOn?: FailOn[];
  /** Bytes of column values kept in memory while reading; beyond it they wait in a temporary file. */
  memoryBudgetBytes?: number;
  cwd: string;
  /** Where the progress bar goes (shown only on a terminal). */
  progressStream: OutputStream;
}

export interface ReportOutcome {
  report: ReportData;
  exitCode: number;
  failed: FailOn[];
}

/** Which --fail-on checks failed. */
export function failedChecks(report: ReportData, failOn: readonly FailOn[]): FailOn[] {
  return failOn.filter((check) => report.summary.checks[check] === 'fail');
}

async function readWithProgress(
  file: string,
  label: string,
  progress: Progress,
  store: ColumnStore,
  keep?: Set<string>,
): Promise<Table> {
  progress.note(`reading ${label}`);
  const table = await readTable(file, {
    label,
    store,
    onProgress: (rows, fraction) => progress.update(rows, fraction),
    ...(keep ? { keep } : {}),
  });
  progress.update(table.rows, 1, true);
  return table;
}

export async function runReport(options: ReportRunOptions): Promise<ReportOutcome> {
  const progress = new Progress(options.progressStream);
  const referencePath = resolve(options.cwd, options.reference);
  const currentPath = resolve(options.cwd, options.current);
  // Both files' values wait in one store, within its memory budget; its temporary file goes
  // when it closes (and with the process, whatever ends it).
  const store = new ColumnStore(options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES);
  let report: ReportData;
  try {
    let reference: Table;
    let current: Table;
    try {
      reference = await readWithProgress(referencePath, options.reference, progress, store);
      // Only the reference's columns matter in the current file.
      current = await readWithProgress(
        currentPath,
        options.current,
        progress,
        store,
        new Set(reference.columns.keys()),
      );
    } finally {
      progress.finish();
    }
    report = analyze(reference, current, options);
  } finally {
    store.close();
  }
  const html = renderHtml(report);
  await writeOutput(resolve(options.cwd, options.out), html);
  if (options.json)
    await writeOutput(resolve(options.cwd, options.json), `${JSON.stringify(report, null, 2)}\n`);
  const failed = failedChecks(report, options.failOn ?? []);
  return { report, failed, exitCode: failed.length > 0 ? ReportExitCode.checkFailed : ReportExitCode.ok };
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

/** The lines printed after a run: what drifted and where the report is. */
export function formatOutcome(outcome: ReportOutcome, out: string, json: string | undefined): string {
  const s = outcome.report.summary;
  const lines = [
    `${s.drifted_features.length} of ${s.evaluated_features} features drifted (${(s.drift_share * 100).toFixed(1)}%)${s.dataset_drift ? ': dataset drift' : ''}; ${s.quality_alerts} data-quality alerts${s.checks.performance === 'not_evaluated' ? '' : `; ${s.performance_alerts} performance alerts`}${s.checks.fairness === 'not_evaluated' ? '' : `; ${s.fairness_alerts} fairness alerts`}.`,
  ];
  if (s.drifted_features.length > 0)
    lines.push(
      `Drifted: ${s.drifted_features.slice(0, 10).join(', ')}${s.drifted_features.length > 10 ? ', …' : ''}`,
    );
  lines.push(`Report: ${out}${json ? `  JSON: ${json}` : ''}`);
  if (outcome.failed.length > 0) lines.push(`Failed checks (--fail-on): ${outcome.failed.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
