/**
 * Promotion gates, as MLflow's `MetricThreshold`: a candidate version may take an alias only
 * if its metrics pass each check, against an absolute threshold and against the version that
 * holds the alias now (a minimum absolute or relative change), in the direction
 * `greater_is_better` says. Metrics are the version's own (copied from its run at registration).
 */
export interface MetricCheck {
  metric: string;
  greaterIsBetter: boolean;
  threshold?: number;
  minAbsoluteChange?: number;
  minRelativeChange?: number;
}

/** One check's outcome; `significant_improvement` comes only from live checks (see live-gate.ts). */
export interface CheckResult {
  metric: string;
  check: 'threshold' | 'min_absolute_change' | 'min_relative_change' | 'significant_improvement';
  passed: boolean;
  /** Null when not evaluated (no current holder to compare with). */
  skipped: boolean;
  candidate: number | null;
  baseline: number | null;
  required: number;
  message: string;
}

const fmt = (n: number) => String(Number(n.toPrecision(6)));

export function evaluateGate(
  checks: MetricCheck[],
  candidate: { name: string; metrics: Record<string, number> },
  baseline: { name: string; metrics: Record<string, number> } | null,
): CheckResult[] {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const value = candidate.metrics[check.metric];
    const better = check.greaterIsBetter ? 'higher' : 'lower';
    const base = baseline?.metrics[check.metric];
    const push = (
      kind: CheckResult['check'],
      required: number,
      passed: boolean,
      message: string,
      skipped = false,
    ) =>
      results.push({
        metric: check.metric,
        check: kind,
        passed,
        skipped,
        candidate: value ?? null,
        baseline: base ?? null,
        required,
        message,
      });
    if (check.threshold !== undefined) {
      const required = check.threshold;
      if (value === undefined) {
        push('threshold', required, false, `version ${candidate.name} has no metric "${check.metric}"`);
      } else {
        const passed = check.greaterIsBetter ? value >= required : value <= required;
        push(
          'threshold',
          required,
          passed,
          `${check.metric} = ${fmt(value)} ${passed ? 'meets' : 'fails'} the threshold ${check.greaterIsBetter ? '≥' : '≤'} ${fmt(required)}`,
        );
      }
    }
    for (const kind of ['min_absolute_change', 'min_relative_change'] as const) {
      const required = kind === 'min_absolute_change' ? check.minAbsoluteChange : check.minRelativeChange;
      if (required === undefined) continue;
      if (baseline === null) {
        push(
          kind,
          required,
          true,
          `no version holds the alias yet: nothing to compare ${check.metric} with`,
          true,
        );
        continue;
      }
      if (value === undefined || base === undefined) {
        const missing = value === undefined ? candidate.name : baseline.name;
        push(kind, required, false, `version ${missing} has no metric "${check.metric}"`);
        continue;
      }
      const gain = check.greaterIsBetter ? value - base : base - value;
      const change = kind === 'min_absolute_change' ? gain : base === 0 ? Number.NaN : gain / Math.abs(base);
      const passed = Number.isFinite(change) && change >= required;
      const what = kind === 'min_absolute_change' ? 'absolute' : 'relative';
      push(
        kind,
        required,
        passed,
        Number.isNaN(change)
          ? `${check.metric} of version ${baseline.name} is 0: a relative change is undefined`
          : `${check.metric} ${fmt(value)} vs ${fmt(base)} (version ${baseline.name}): ${what} change ${fmt(change)} in the ${better}-is-better direction, ${passed ? 'at least' : 'below'} the required ${fmt(required)}`,
      );
    }
  }
  return results;
}
