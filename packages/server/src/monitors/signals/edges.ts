/** Bin edges for counting values against a bound with the engine's half-open bins [lower, upper). */

/** The smallest double greater than `x`, so that `[x, nextUp(x))` holds exactly `x`. */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
