/**
 * Isotonic (monotone non-decreasing) regression by pool-adjacent-violators, with the conventions of
 * scikit-learn's `IsotonicRegression(increasing=True, out_of_bounds='clip')`: equal x values are merged
 * into one point (weighted mean of y), predictions interpolate linearly between the fitted points and
 * inputs outside the training range are clipped to it.
 */
import { argsortLexicographic } from '../math/order.js';

/** A fitted isotonic regression: the knots of a piecewise-linear, non-decreasing function (JSON-safe). */
export interface IsotonicModel {
  /** Ascending x positions of the knots. */
  xThresholds: number[];
  /** Fitted values at the knots, non-decreasing. */
  yThresholds: number[];
}

// x values closer than this are treated as equal (float64 resolution, as scikit-learn does).
const TIE_RESOLUTION = 1e-15;

/**
 * Fits a non-decreasing function to (x, y) minimising the weighted squared error.
 * Points with non-positive weight are ignored. O(n log n).
 */
export function fitIsotonic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicModel {
  const n = x.length;
  if (y.length !== n || (weights && weights.length !== n)) {
    throw new RangeError('x, y and weights must have the same length');
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!)) throw new RangeError('x and y must not contain NaN');
  }
  // sort by x, then by y (only the x order matters for the result)
  return fitIsotonicOrdered(x, y, argsortLexicographic(x, y), weights);
}

/**
 * Fits on rows taken in `order`, which must sort them by x (ties by y). Lets callers that fit many
 * subsets of one sample sort it once.
 */
export function fitIsotonicOrdered(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  order: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicModel {
  const kept: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const w = weights ? weights[i]! : 1;
    if (w > 0) kept.push(i);
  }
  if (kept.length === 0)
    throw new RangeError('isotonic regression needs at least one point with positive weight');

  // merge duplicate x values into weighted means
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let currentX = x[kept[0]!]!;
  let sumWy = 0;
  let sumW = 0;
  for (const i of kept) {
    const xi = x[i]!;
    const wi = weights ? weights[i]! : 1;
    if (xi - currentX >= TIE_RESOLUTION) {
      ux.push(currentX);
      uy.push(sumWy / sumW);
      uw.push(sumW);
      currentX = xi;
      sumWy = 0;
      sumW = 0;
    }
    sumWy += wi * y[i]!;
    sumW += wi;
  }
  ux.push(currentX);
  uy.push(sumWy / sumW);
  uw.push(sumW);

  const fitted = poolAdjacentViolators(uy, uw);

  // keep the first and last knot and every knot where the value changes on either side
  const xThresholds: number[] = [];
  const yThresholds: number[] = [];
  const m = fitted.length;
  for (let k = 0; k < m; k++) {
    const keep = k === 0 || k === m - 1 || fitted[k] !== fitted[k - 1] || fitted[k] !== fitted[k + 1];
    if (keep) {
      xThresholds.push(ux[k]!);
      yThresholds.push(fitted[k]!);
    }
  }
  return { xThresholds, yThresholds };
}

/** Pool-adjacent-violators on ordered values: returns the non-decreasing weighted least-squares fit. */
function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): Float64Array {
  const n = values.length;
  // blocks kept on a stack: mean, weight and the index where each block starts
  const blockMean = new Float64Array(n);
  const blockWeight = new Float64Array(n);
  const blockStart = new Uint32Array(n);
  let top = -1;
  for (let i = 0; i < n; i++) {
    top++;
    blockMean[top] = values[i]!;
    blockWeight[top] = weights[i]!;
    blockStart[top] = i;
    while (top > 0 && blockMean[top - 1]! >= blockMean[top]!) {
      const w = blockWeight[top - 1]! + blockWeight[top]!;
      blockMean[top - 1] =
        (blockWeight[top - 1]! * blockMean[top - 1]! + blockWeight[top]! * blockMean[top]!) / w;
      blockWeight[top - 1] = w;
      top--;
    }
  }
  const fitted = new Float64Array(n);
  for (let b = 0; b <= top; b++) {
    const end = b === top ? n : blockStart[b + 1]!;
    fitted.fill(blockMean[b]!, blockStart[b]!, end);
  }
  return fitted;
}

/** Evaluates a fitted isotonic regression: linear interpolation between knots, clipped outside their range. */
export function predictIsotonic(model: IsotonicModel, values: ArrayLike<number>): Float64Array {
  const xs = model.xThresholds;
  const ys = model.yThresholds;
  const m = xs.length;
  const out = new Float64Array(values.length);
  if (m === 0) return out.fill(Number.NaN);
  const first = xs[0]!;
  const last = xs[m - 1]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      out[i] = Number.NaN;
      continue;
    }
    if (m === 1) {
      out[i] = ys[0]!;
      continue;
    }
    const t = Math.min(last, Math.max(first, v));
    // first knot index with xs[hi] >= t, at least 1 (interpolate on the segment ending there)
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xs[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    const right = Math.max(1, lo);
    const left = right - 1;
    const x0 = xs[left]!;
    const y0 = ys[left]!;
    const slope = (ys[right]! - y0) / (xs[right]! - x0);
    out[i] = slope * (t - x0) + y0;
  }
  return out;
}
