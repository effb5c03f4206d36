/**
 * Multiple-testing control: a model has many features, and testing each at 5% makes some false
 * alarm almost certain. These adjust per-feature p-values before the drift decision.
 */
import { decideDrift, type MonitoredDriftResult } from './effect-size-floor.js';

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), in input order:
 * adjusted_(i) = min over j >= i of p_(j) m / j, capped at 1, for p sorted ascending.
 * Rejecting adjusted p <= q controls the false discovery rate at q for independent or positively
 * dependent tests. NaN entries are not tests: they stay NaN and do not count in m.
 * Matches `scipy.stats.false_discovery_control(p)` and statsmodels' `fdr_bh`.
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): Float64Array {
  const adjusted = new Float64Array(pValues.length).fill(Number.NaN);
  const order: number[] = [];
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (Number.isNaN(p)) continue;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${p}`);
    order.push(i);
  }
  order.sort((x, y) => pValues[x]! - pValues[y]!);
  const m = order.length;
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    running = Math.min(running, (pValues[index]! * m) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}

/**
 * Bonferroni adjusted p-values: min(1, p m), which controls the family-wise error rate under any
 * dependence. NaN entries stay NaN and do not count in m.
 */
export function bonferroni(pValues: ArrayLike<number>): Float64Array {
  let m = 0;
  for (let i = 0; i < pValues.length; i++) if (!Number.isNaN(pValues[i]!)) m++;
  const adjusted = new Float64Array(pValues.length);
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (!Number.isNaN(p) && !(p >= 0 && p <= 1))
      throw new RangeError(`p-values must lie in [0, 1], got ${p}`);
    adjusted[i] = Math.min(1, p * m);
  }
  return adjusted;
}

/** How p-values across a model's features are adjusted before the drift decision. */
export type MultipleTestingCorrection = 'benjamini_hochberg' | 'bonferroni' | 'none';

/**
 * Adjusts the p-values of the p-value-based results together (distance-based results pass through)
 * and re-decides `drifted` against each result's own threshold and effect-size floor. The
 * unadjusted p-value is kept in `rawPValue`. Returns new objects; the input is not modified.
 */
export function adjustDriftResults<T extends MonitoredDriftResult>(
  results: readonly T[],
  correction: MultipleTestingCorrection = 'benjamini_hochberg',
): T[] {
  const tested: number[] = [];
  results.forEach((r, i) => {
    if (r.thresholdKind === 'p_value' && r.pValue !== undefined && !Number.isNaN(r.pValue)) tested.push(i);
  });
  // Start from the unadjusted p-values, so adjusting twice does not compound.
  const raw = tested.map((i) => results[i]!.rawPValue ?? results[i]!.pValue!);
  const adjusted =
    correction === 'bonferroni' ? bonferroni(raw) : correction === 'none' ? raw : benjaminiHochberg(raw);
  const out = results.map((r) => ({ ...r }));
  tested.forEach((index, k) => {
    const result = out[index]!;
    result.rawPValue = raw[k]!;
    result.pValue = adjusted[k]!;
    result.drifted = decideDrift(result);
  });
  return out;
}
