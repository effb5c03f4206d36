/**
 * Histograms of one column as the server's window profiles hold them: numeric values counted (and
 * summed) in half-open bins [edges[i], edges[i+1]), category counts limited to the most frequent
 * values; for the reference, also per consecutive chunk (row order, as the server cuts a reference
 * dataset ordered by time, then by insertion).
 */
import { binIndex, chunkOfRow, type HistogramCells } from '@vigil/stats';
import type { CategoricalColumn, NumericColumn } from './columns.js';

/** Categories a window profile keeps (the most frequent; the rest are folded away). */
export const CATEGORY_LIMIT = 1000;

export interface NumericSummary {
  present: number;
  missing: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
}

/** Moments of the present (non-NaN) values, in two passes for accuracy. */
export function summarizeNumeric(values: Float64Array): NumericSummary {
  let present = 0;
  let total = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    present++;
    total += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (present === 0) return { present, missing: values.length, min: null, max: null, mean: null, std: null };
  const mean = total / present;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) squares += (v - mean) ** 2;
  }
  return {
    present,
    missing: values.length - present,
    min,
    max,
    mean,
    std: present > 1 ? Math.sqrt(squares / (present - 1)) : null,
  };
}

/** Counts and sums of `values` on `edges`, as a whole and in `chunks` consecutive pieces. */
export function histogramByChunks(
  values: Float64Array,
  edges: ArrayLike<number>,
  chunks: number,
): { total: HistogramCells; chunks: HistogramCells[] } {
  const bins = edges.length - 1;
  const rows = values.length;
  const counts = new Float64Array(bins * chunks);
  const sums = new Float64Array(bins * chunks);
  for (let i = 0; i < rows; i++) {
    const b = binIndex(edges, values[i]!);
    if (b < 0) continue;
    const cell = (chunks === 1 ? 0 : chunkOfRow(i, rows, chunks)) * bins + b;
    counts[cell]!++;
    sums[cell]! += values[i]!;
  }
  const pieces: HistogramCells[] = [];
  const totalCounts = new Array<number>(bins).fill(0);
  const totalSums = new Array<number>(bins).fill(0);
  for (let c = 0; c < chunks; c++) {
    const pieceCounts = Array.from(counts.subarray(c * bins, (c + 1) * bins));
    const pieceSums = Array.from(sums.subarray(c * bins, (c + 1) * bins));
    for (let b = 0; b < bins; b++) {
      totalCounts[b]! += pieceCounts[b]!;
      totalSums[b]! += pieceSums[b]!;
    }
    pieces.push({ counts: pieceCounts, sums: pieceSums });
  }
  return { total: { counts: totalCounts, sums: totalSums }, chunks: pieces };
}

/** The most frequent `limit` categories of a count table (ties by value), as the server keeps them. */
export function topCategories(counts: Map<string, number>, limit = CATEGORY_LIMIT): Record<string, number> {
  const entries = [...counts].filter(([, n]) => n > 0);
  if (entries.length > limit) {
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    entries.length = limit;
  }
  return Object.fromEntries(entries);
}

/** Category counts as a whole and per chunk (each chunk limited as its own profile would be). */
export function categoryCountsByChunks(
  column: CategoricalColumn,
  chunks: number,
): { total: Record<string, number>; chunks: Record<string, number>[]; missing: number } {
  const k = column.dictionary.length;
  const counts = new Float64Array(k * chunks);
  const rows = column.length;
  let missing = 0;
  for (let i = 0; i < rows; i++) {
    const code = column.codes[i]!;
    if (code < 0) {
      missing++;
      continue;
    }
    counts[(chunks === 1 ? 0 : chunkOfRow(i, rows, chunks)) * k + code]!++;
  }
  const pieces: Record<string, number>[] = [];
  const total: Record<string, number> = {};
  for (let c = 0; c < chunks; c++) {
    const table = new Map<string, number>();
    for (let code = 0; code < k; code++) {
      const n = counts[c * k + code]!;
      if (n > 0) table.set(column.dictionary[code]!, n);
    }
    const kept = topCategories(table);
    for (const [value, n] of Object.entries(kept)) total[value] = (total[value] ?? 0) + n;
    pieces.push(kept);
  }
  return { total, chunks: pieces, missing };
}

export type { NumericColumn };
