/**
 * Error function and the standard normal distribution.
 *
 * `erfc` follows W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969), which are
 * accurate to about one unit in the last place in double precision, including the far tails
 * where `1 - erf` would lose all significant digits. The quantile follows M. Wichura's
 * algorithm AS 241 (PPND16, Applied Statistics 1988), accurate to about 1e-16 relative.
 */

const ERF_A = [
  3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315,
];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERFC_C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const ERFC_D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const ERFC_P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const ERFC_Q = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918,
];
const INV_SQRT_PI = 0.5641895835477563;

/** erf(y) for |y| <= 0.46875 (odd rational function). */
function erfSmall(y: number): number {
  const ysq = y * y;
  let num = ERF_A[4]! * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]!) * ysq;
    den = (den + ERF_B[i]!) * ysq;
  }
  return (y * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
}

/** erfc(y) for y > 0.46875. */
function erfcPositive(y: number): number {
  let result: number;
  if (y <= 4) {
    let num = ERFC_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]!) * y;
      den = (den + ERFC_D[i]!) * y;
    }
    result = (num + ERFC_C[7]!) / (den + ERFC_D[7]!);
  } else {
    if (y >= 26.543) return 0;
    const ysq = 1 / (y * y);
    let num = ERFC_P[5]! * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]!) * ysq;
      den = (den + ERFC_Q[i]!) * ysq;
    }
    result = (ysq * (num + ERFC_P[4]!)) / (den + ERFC_Q[4]!);
    result = (INV_SQRT_PI - result) / y;
  }
  // exp(-y^2) split in two factors so that y^2 is not rounded before exponentiation.
  const ySixteenth = Math.trunc(y * 16) / 16;
  const del = (y - ySixteenth) * (y + ySixteenth);
  return Math.exp(-ySixteenth * ySixteenth) * Math.exp(-del) * result;
}

/** The error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = 0.5 - erfcPositive(y) + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in the upper tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = erfcPositive(y);
  return x < 0 ? 2 - r : r;
}

/** Standard normal cumulative distribution function P(Z <= x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** Standard normal survival function P(Z > x), accurate far into the upper tail. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x * Math.SQRT1_2);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

const Q_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const Q_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const Q_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const Q_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const Q_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const Q_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

function ratio(num: readonly number[], den: readonly number[], r: number): number {
  let n = 0;
  let d = 0;
  for (let i = num.length - 1; i >= 0; i--) {
    n = n * r + num[i]!;
    d = d * r + den[i]!;
  }
  return n / d;
}

/** Standard normal quantile (inverse CDF); -Infinity at 0, +Infinity at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    return q * ratio(Q_A, Q_B, 0.180625 - q * q);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = ratio(Q_C, Q_D, r);
  } else {
    r -= 5;
    z = ratio(Q_E, Q_F, r);
  }
  return q < 0 ? -z : z;
}
