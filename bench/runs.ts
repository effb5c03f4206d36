/** Summaries of timed runs, as the benchmarks print them. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "median 12 ms (runs: 11, 12, 14)": the median and every run, in milliseconds. */
export function medianAndRuns(values: number[]): string {
  return `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;
}
