/**
 * Comparing a window's distribution of one column with the baseline's: the profiles' histograms
 * handed to the drift decision of @vigil/stats, which the offline report shares.
 */
import { compareDistributions, type DriftComparison } from '@vigil/stats';
import type { DriftMethod } from '../../domain/monitor-config.js';
import type { WindowProfile } from '../../storage/profiles.js';

export type Comparison = DriftComparison;

export interface CompareOptions {
  method: DriftMethod;
  /** Per-test false-alarm probability. */
  alpha: number;
  /** A fixed threshold set by the user, instead of the calibrated one. */
  fixedThreshold?: number;
}

/**
 * Compares a column's baseline and current distributions. `chunks` are the baseline's own
 * pieces: each is compared with the rest of the baseline to learn how much the distance moves
 * without drift.
 */
export function compareColumn(
  key: string,
  kind: 'numeric' | 'categorical',
  baseline: WindowProfile,
  chunks: WindowProfile[],
  current: WindowProfile,
  edges: number[] | undefined,
  options: CompareOptions,
): Comparison {
  if (kind === 'numeric') {
    return compareDistributions(
      {
        kind,
        edges: edges!,
        reference: baseline.numeric[key]!,
        current: current.numeric[key]!,
        chunks: chunks.map((chunk) => chunk.numeric[key] ?? null),
      },
      options,
    );
  }
  return compareDistributions(
    {
      kind,
      reference: baseline.categorical[key]!.counts,
      current: current.categorical[key]!.counts,
      chunks: chunks.map((chunk) => chunk.categorical[key]?.counts ?? null),
    },
    options,
  );
}
