/**
 * Promotion checks on live metrics: the candidate and the version holding the alias, compared
 * paired on production traffic (the champion / challenger comparison) over a period. A check reads
 * the labelled performance (`live`) or the estimated one before labels (`live_estimated`, CBPE);
 * the threshold and change checks then work as on run metrics, and `require_significant` also asks
 * the paired test to find the candidate better. With nothing holding the alias the candidate's own
 * live metrics meet the thresholds and the comparisons are skipped.
 */
import type { ComparisonResult, MetricComparison } from '../api/schemas/compare.js';
import type { ComparisonService } from '../compare/index.js';
import { VigilError } from '../errors.js';
import type { ModelRow } from '../storage/types.js';
import { type CheckResult, evaluateGate, type MetricCheck } from './gate.js';

export type CheckSource = 'run' | 'live' | 'live_estimated';

export interface LiveCheck extends MetricCheck {
  source: 'live' | 'live_estimated';
  requireSignificant: boolean;
}

export interface LivePeriod {
  fromMicros?: number | undefined;
  toMicros?: number | undefined;
  minLabelled: number;
  confidence: number;
}

export interface LiveEvidence {
  from: string;
  to: string;
  pairs: number;
  labelled: number;
  difference: number | null;
  lower: number | null;
  upper: number | null;
  p_value: number | null;
}

export type SourcedCheckResult = CheckResult & { source: CheckSource; live: LiveEvidence | null };

const fmt = (n: number | null) => (n === null ? 'n/a' : String(Number(n.toPrecision(4))));

function failure(
  check: LiveCheck,
  kind: CheckResult['check'],
  message: string,
  evidence: LiveEvidence | null,
) {
  return {
    metric: check.metric,
    check: kind,
    passed: false,
    skipped: false,
    candidate: null,
    baseline: null,
    required: 0,
    message,
    source: check.source,
    live: evidence,
  } satisfies SourcedCheckResult;
}

/** The kinds a check asks for, in the order `evaluateGate` reports them. */
function kindsOf(check: LiveCheck): CheckResult['check'][] {
  const kinds: CheckResult['check'][] = [];
  if (check.threshold !== undefined) kinds.push('threshold');
  if (check.minAbsoluteChange !== undefined) kinds.push('min_absolute_change');
  if (check.minRelativeChange !== undefined) kinds.push('min_relative_change');
  if (check.requireSignificant) kinds.push('significant_improvement');
  return kinds;
}

export async function evaluateLiveChecks(
  comparisons: ComparisonService,
  model: ModelRow,
  candidate: string,
  holder: string | null,
  checks: LiveCheck[],
  period: LivePeriod,
): Promise<SourcedCheckResult[]> {
  if (checks.length === 0) return [];
  const against = holder ?? candidate;
  let comparison: ComparisonResult;
  try {
    comparison = await comparisons.compare(model, {
      a: against,
      b: candidate,
      fromMicros: period.fromMicros,
      toMicros: period.toMicros,
      confidence: period.confidence,
      allowSameVersion: true,
    });
  } catch (error) {
    // No paired traffic (or none in the period) fails every live check, saying why.
    if (!(error instanceof VigilError) || error.code !== 'no_overlap') throw error;
    return checks.flatMap((check) =>
      kindsOf(check).map((kind) => failure(check, kind, `live ${check.metric}: ${error.message}`, null)),
    );
  }
  const { overall } = comparison;
  const results: SourcedCheckResult[] = [];
  for (const check of checks) {
    const measured: MetricComparison | undefined =
      check.source === 'live' ? overall.metrics.find((m) => m.metric === check.metric) : undefined;
    const estimate =
      check.source === 'live_estimated' && overall.estimated?.status === 'ok'
        ? {
            a: overall.estimated.a?.[check.metric as 'accuracy'] ?? null,
            b: overall.estimated.b?.[check.metric as 'accuracy'] ?? null,
          }
        : null;
    const evidence: LiveEvidence = {
      from: comparison.from,
      to: comparison.to,
      pairs: overall.pairs,
      labelled: overall.labelled,
      difference:
        measured?.difference ??
        (estimate && estimate.a !== null && estimate.b !== null ? estimate.b - estimate.a : null),
      lower: measured?.lower ?? null,
      upper: measured?.upper ?? null,
      p_value: measured?.p_value ?? null,
    };
    const label = check.source === 'live' ? `live ${check.metric}` : `estimated live ${check.metric}`;
    let values: { a: number | null; b: number | null } | null = null;
    if (check.source === 'live') {
      if (!measured) {
        const known = overall.metrics.map((m) => m.metric).join(', ');
        for (const kind of kindsOf(check)) {
          results.push(
            failure(
              check,
              kind,
              `${label}: not a live metric of a ${model.task} model (use ${known})`,
              evidence,
            ),
          );
        }
        continue;
      }
      if (overall.labelled < period.minLabelled || measured.status !== 'ok') {
        const why =
          measured.reason ??
          `${overall.labelled} labelled pairs in the period, below the required ${period.minLabelled}`;
        for (const kind of kindsOf(check)) results.push(failure(check, kind, `${label}: ${why}`, evidence));
        continue;
      }
      values = { a: measured.a, b: measured.b };
    } else {
      if (!overall.estimated) {
        for (const kind of kindsOf(check)) {
          results.push(
            failure(check, kind, `${label}: estimated performance needs a binary classifier`, evidence),
          );
        }
        continue;
      }
      if (overall.estimated.status !== 'ok' || !estimate) {
        for (const kind of kindsOf(check)) {
          results.push(
            failure(check, kind, `${label}: ${overall.estimated.reason ?? 'no estimate'}`, evidence),
          );
        }
        continue;
      }
      values = estimate;
    }
    const asMetrics = (v: number | null) => (v === null ? {} : { [check.metric]: v });
    const gate = evaluateGate(
      [check],
      { name: candidate, metrics: asMetrics(values.b) },
      holder === null ? null : { name: holder, metrics: asMetrics(values.a) },
    );
    for (const r of gate)
      results.push({ ...r, message: `${label}: ${r.message}`, source: check.source, live: evidence });
    if (check.requireSignificant) {
      if (holder === null) {
        results.push({
          ...failure(
            check,
            'significant_improvement',
            `${label}: no version holds the alias yet: nothing to compare with`,
            evidence,
          ),
          passed: true,
          skipped: true,
        });
      } else if (check.source !== 'live' || !measured) {
        results.push(
          failure(
            check,
            'significant_improvement',
            `${label}: a significance check needs labelled live metrics (source "live")`,
            evidence,
          ),
        );
      } else {
        const better = check.greaterIsBetter ? 'b' : 'a';
        const passed = measured.better === better;
        results.push({
          metric: check.metric,
          check: 'significant_improvement',
          passed,
          skipped: false,
          candidate: measured.b,
          baseline: measured.a,
          required: 1 - period.confidence,
          source: 'live',
          live: evidence,
          message:
            `${label} ${fmt(measured.b)} vs ${fmt(measured.a)} (version ${holder}) on ${measured.sample_size} paired labels: ` +
            `difference ${fmt(measured.difference)}, ${Math.round(period.confidence * 100)}% interval [${fmt(measured.lower)}, ${fmt(measured.upper)}], ` +
            `p = ${fmt(measured.p_value)} (${measured.test}): ${passed ? 'significantly better' : 'not significantly better'}`,
        });
      }
    }
  }
  return results;
}
