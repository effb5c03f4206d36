/**
 * L2-penalised logistic regression fitted by Newton's method (iteratively reweighted least squares).
 * Small and exact: meant for a few dozen standardised features.
 */

/** Coefficients of a fitted model: `weights[0]` is the intercept (not penalised). */
export interface LogisticModel {
  weights: Float64Array;
}

const MAX_ITERATIONS = 50;
const STEP_TOLERANCE = 1e-10;

/**
 * Fits on the rows listed in `rows` of the row-major matrix `x` (`width` columns, no intercept column),
 * with 0/1 targets. `penalty` is the L2 strength λ in Σ log-loss + λ/2 · ‖w‖² (λ = 1 is scikit-learn's C = 1).
 */
export function fitLogistic(
  x: Float64Array,
  width: number,
  targets: ArrayLike<number>,
  rows: ArrayLike<number>,
  penalty = 1,
): LogisticModel {
  const p = width + 1;
  const w = new Float64Array(p);
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const features = new Float64Array(p);
  features[0] = 1;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      for (let j = 0; j < width; j++) features[j + 1] = x[i * width + j]!;
      let z = 0;
      for (let j = 0; j < p; j++) z += w[j]! * features[j]!;
      const prob = 1 / (1 + Math.exp(-z));
      const residual = prob - targets[i]!;
      const curvature = Math.max(prob * (1 - prob), 1e-12);
      for (let j = 0; j < p; j++) {
        const fj = features[j]!;
        gradient[j]! += residual * fj;
        const scaled = curvature * fj;
        for (let k = j; k < p; k++) hessian[j * p + k]! += scaled * features[k]!;
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j]! += penalty * w[j]!;
      hessian[j * p + j]! += penalty;
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hessian[j * p + k] = hessian[k * p + j]!;
    const step = solveSymmetricPositive(hessian, gradient, p);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      w[j]! -= step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < STEP_TOLERANCE) break;
  }
  return { weights: w };
}

/** Linear score (log-odds) of row `i` of `x`. */
export function logisticScore(model: LogisticModel, x: Float64Array, width: number, i: number): number {
  let z = model.weights[0]!;
  for (let j = 0; j < width; j++) z += model.weights[j + 1]! * x[i * width + j]!;
  return z;
}

/** Solves A s = b for symmetric positive-definite A (Cholesky); A and b are not modified. */
function solveSymmetricPositive(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) l[i * n + i] = Math.sqrt(Math.max(sum, 1e-300));
      else l[i * n + j] = sum / l[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const s = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * s[k]!;
    s[i] = sum / l[i * n + i]!;
  }
  return s;
}
