/** Arithmetic on window profiles: merging chunks into a whole and removing one chunk from it. */
import {
  type CategoricalProfile,
  emptyWindowProfile,
  type NumericProfile,
  type WindowProfile,
} from '../storage/profiles.js';

function mergeNumeric(a: NumericProfile | undefined, b: NumericProfile): NumericProfile {
  if (!a) return { ...b, counts: [...b.counts], sums: [...b.sums] };
  const na = a.counts.reduce((x, y) => x + y, 0);
  const nb = b.counts.reduce((x, y) => x + y, 0);
  const n = na + nb;
  let mean: number | null = null;
  let std: number | null = null;
  if (n > 0) {
    const ma = a.mean ?? 0;
    const mb = b.mean ?? 0;
    mean = (ma * na + mb * nb) / n;
    // Chan et al.'s parallel combination of sums of squared deviations.
    const ssa = (a.std ?? 0) ** 2 * Math.max(0, na - 1);
    const ssb = (b.std ?? 0) ** 2 * Math.max(0, nb - 1);
    const ss = ssa + ssb + (mb - ma) ** 2 * ((na * nb) / n);
    std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  }
  const min = a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min);
  const max = a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max);
  return {
    counts: a.counts.map((c, i) => c + (b.counts[i] ?? 0)),
    sums: a.sums.map((s, i) => s + (b.sums[i] ?? 0)),
    nulls: a.nulls + b.nulls,
    min,
    max,
    mean,
    std,
  };
}

function mergeCategorical(a: CategoricalProfile | undefined, b: CategoricalProfile): CategoricalProfile {
  const counts = { ...(a?.counts ?? {}) };
  for (const [k, v] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + v;
  return { counts, nulls: (a?.nulls ?? 0) + b.nulls, otherCount: (a?.otherCount ?? 0) + b.otherCount };
}

/** The profile of the union of windows (quantiles are not mergeable and are dropped). */
export function mergeProfiles(profiles: WindowProfile[]): WindowProfile {
  const total = emptyWindowProfile();
  const confusion = new Map<string, { prediction: string | null; label: string; count: number }>();
  for (const p of profiles) {
    total.rows += p.rows;
    total.labeled += p.labeled;
    if (p.firstMicros !== null)
      total.firstMicros = Math.min(total.firstMicros ?? p.firstMicros, p.firstMicros);
    if (p.lastMicros !== null) total.lastMicros = Math.max(total.lastMicros ?? p.lastMicros, p.lastMicros);
    for (const [k, v] of Object.entries(p.numeric)) {
      const { quantiles: _dropped, ...rest } = v;
      total.numeric[k] = mergeNumeric(total.numeric[k], rest);
    }
    for (const [k, v] of Object.entries(p.categorical))
      total.categorical[k] = mergeCategorical(total.categorical[k], v);
    for (const c of p.confusion) {
      const key = `${c.prediction}\u0000${c.label}`;
      const entry = confusion.get(key);
      if (entry) entry.count += c.count;
      else confusion.set(key, { ...c });
    }
    if (p.regression) {
      const r = total.regression;
      total.regression = r
        ? {
            count: r.count + p.regression.count,
            sumError: r.sumError + p.regression.sumError,
            sumAbsError: r.sumAbsError + p.regression.sumAbsError,
            sumSquaredError: r.sumSquaredError + p.regression.sumSquaredError,
            sumLabel: r.sumLabel + p.regression.sumLabel,
            sumSquaredLabel: r.sumSquaredLabel + p.regression.sumSquaredLabel,
            nonZeroLabels: r.nonZeroLabels + p.regression.nonZeroLabels,
            sumAbsPercentageError: r.sumAbsPercentageError + p.regression.sumAbsPercentageError,
          }
        : { ...p.regression };
    }
    for (const [k, v] of Object.entries(p.violations)) total.violations[k] = (total.violations[k] ?? 0) + v;
  }
  total.confusion = [...confusion.values()];
  return total;
}

export { subtractCategoryCounts, subtractCounts } from '@vigil/stats';
