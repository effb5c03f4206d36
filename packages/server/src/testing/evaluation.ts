/**
 * Monitors evaluate in the background, after a debounce: tests that read results first wait
 * until no window of the model is queued (each monitor's `pending_windows` is 0).
 */
import type { MonitoringConfig } from '../config.js';
import type { MonitorResult } from '../domain/index.js';
import type { MonitorService } from '../monitors/service.js';
import type { Store } from '../storage/types.js';

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

/**
 * Evaluates the window of `modelId` that starts at `windowStartMicros` with `service` (an
 * evaluator the test drives) and returns that window's stored results, comparable.
 */
export async function evaluateWindow(
  store: Store,
  service: MonitorService,
  modelId: number,
  windowStartMicros: number,
) {
  service.predictionsStored(modelId, [windowStartMicros]);
  await service.flushMarks();
  if ((await service.drain()) === 0)
    throw new Error(`No monitor evaluated the window at ${windowStartMicros}.`);
  return comparableResults(
    (await store.results.query({ modelId, limit: 100_000 })).filter(
      (r) => r.windowStartMicros === windowStartMicros,
    ),
  );
}

/**
 * Where `actual` differs from `expected` (paths and both values; empty when they agree), up to
 * floating-point sums added in another order: integers exactly, other numbers to 1e-12
 * relative (1e-15 absolute next to zero), NaN only where NaN, -0 the same as 0. Typed arrays
 * compare as arrays.
 */
export function numericDifferences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Number.isNaN(actual) || Number.isNaN(expected))
      return Number.isNaN(actual) === Number.isNaN(expected) ? [] : [`${path}: ${actual} vs ${expected}`];
    if (Number.isInteger(actual) && Number.isInteger(expected) && Math.abs(expected) < 2 ** 40)
      return actual === expected ? [] : [`${path}: ${actual} vs ${expected}`];
    const tolerance = 1e-12 * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-15;
    return Math.abs(actual - expected) <= tolerance ? [] : [`${path}: ${actual} vs ${expected}`];
  }
  const listed = (v: unknown) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (listed(expected) || listed(actual)) {
    if (!listed(expected) || !listed(actual)) return [`${path}: ${String(actual)} vs ${String(expected)}`];
    const a = [...(actual as Iterable<unknown>)];
    const e = [...(expected as Iterable<unknown>)];
    if (a.length !== e.length) return [`${path}: ${a.length} items vs ${e.length}`];
    return e.flatMap((value, i) => numericDifferences(a[i], value, `${path}[${i}]`));
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(e)])].sort();
    return keys.flatMap((key) =>
      key in a && key in e
        ? numericDifferences(a[key], e[key], `${path}.${key}`)
        : [`${path}.${key}: ${key in a ? 'only in actual' : 'only in expected'}`],
    );
  }
  return Object.is(actual, expected) || actual === expected
    ? []
    : [`${path}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`];
}
