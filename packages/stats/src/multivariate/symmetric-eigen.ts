/**
 * Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations: slow for large matrices
 * (O(d³) per sweep) but simple, accurate and dependable for the few dozen features of a model.
 */

/** Eigenvalues (descending) and unit eigenvectors: `vectors[k]` belongs to `values[k]`. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array[];
}

const MAX_SWEEPS = 100;

/** Decomposes the symmetric `d × d` matrix given row-major in `matrix` (not modified). */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): SymmetricEigen {
  if (matrix.length !== d * d) throw new RangeError(`expected ${d * d} entries, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i]! * a[i]!;
  const tolerance = 1e-30 * scale;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    if (off <= tolerance) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const app = a[p * d + p]!;
        const aqq = a[q * d + q]!;
        // rotation angle that zeroes a[p][q] (numerically stable form)
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j]! - a[i * d + i]!);
  const values = Float64Array.from(order, (i) => a[i * d + i]!);
  const vectors = order.map((i) => Float64Array.from({ length: d }, (_, k) => v[k * d + i]!));
  return { values, vectors };
}
