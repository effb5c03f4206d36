/**
 * Monitors evaluate in the background, after a debounce: tests that read results first wait
 * until no window of the model is queued (each monitor's `pending_windows` is 0).
 */
import type { MonitoringConfig } from '../config.js';
import type { MonitorResult } from '../domain/index.js';

export interface WaitForEvaluationOptions {
  /** Checks before giving up with an error; unbounded by default (the test's own timeout ends it). */
  maxPolls?: number;
  /** Pause between checks. */
  pollMs?: number;
  /** API key to ask with (the server's admin key by default). */
  key?: string;
}

/** A running server: a `TestServer`, or a child process's URL with its key. */
export interface EvaluatingServer {
  url: string;
  adminKey: string;
}

export async function waitForEvaluation(
  server: EvaluatingServer,
  model: string,
  { maxPolls = Number.POSITIVE_INFINITY, pollMs = 50, key = server.adminKey }: WaitForEvaluationOptions = {},
): Promise<void> {
  const url = `${server.url}/api/v1/models/${encodeURIComponent(model)}/monitors`;
  for (let poll = 0; poll < maxPolls; poll++) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    if (response.status !== 200) {
      throw new Error(
        `Listing the monitors of ${model} answered ${response.status}: ${await response.text()}`,
      );
    }
    const { data } = (await response.json()) as { data: { pending_windows: number }[] };
    if (data.every((monitor) => monitor.pending_windows === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`Evaluation of ${model} did not settle within ${maxPolls} checks ${pollMs} ms apart.`);
}

/**
 * Monitoring for tests that read results: evaluation shortly after data arrives, and a window
 * final as soon as it closes, so a test waits on work, not on delays.
 */
export const PROMPT_MONITORING: MonitoringConfig = {
  falseAlarmsPerWeek: 1,
  debounceMs: 20,
  closeGraceMs: 0,
  defaultWindow: '1h',
  maxBackfillWindows: 2000,
};

/**
 * Everything results say but the fields that name the evaluation run (sequence number,
 * evaluation time), in a fixed order: what two ways of evaluating the same windows must agree on.
 */
export function comparableResults(results: MonitorResult[]) {
  return results
    .map(({ seq: _seq, evaluatedAtMicros: _at, ...rest }) => rest)
    .sort((a, b) =>
      `${a.monitorId}|${a.windowStartMicros}|${a.feature}|${a.metric}`.localeCompare(
        `${b.monitorId}|${b.windowStartMicros}|${b.feature}|${b.metric}`,
      ),
    );
}
