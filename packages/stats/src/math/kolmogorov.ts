/**
 * Distributions of Kolmogorov–Smirnov statistics.
 *
 * - `kolmogorovSf(x)`: the limiting distribution of √n·D_n (scipy `kstwobign`).
 * - `smirnovSf(n, x)`: the exact one-sided statistic D_n^+ (scipy `smirnov`), by the
 *   Birnbaum–Tingey sum of positive terms, evaluated in logarithms.
 * - `kolmogorovSmirnovSf(n, x)` / `kolmogorovSmirnovCdf(n, x)`: the two-sided one-sample D_n
 *   (scipy `kstwo`), choosing among the methods compared by Simard & L'Ecuyer (2011) exactly as
 *   scipy does: Ruben–Gambino closed forms at the extremes, Durbin's matrix (Marsaglia–Tsang–Wang),
 *   Pomeranz's recursion, twice the one-sided tail, and the Pelz–Good asymptotic expansion.
 */
import { logGamma } from './gamma.js';

const PI2 = Math.PI * Math.PI;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;

function clip01(p: number): number {
  return p < 0 ? 0 : Math.min(p, 1);
}

/** x·2^e without intermediate overflow of 2^e. */
function scaleByPowerOfTwo(x: number, e: number): number {
  let r = x;
  let left = e;
  while (left > 1000) {
    r *= 2 ** 1000;
    left -= 1000;
  }
  while (left < -1000) {
    r *= 2 ** -1000;
    left += 1000;
  }
  return r * 2 ** left;
}

/**
 * CDF of Kolmogorov's limiting distribution for 0.0406 < x <= 0.82:
 * √(2π)/x · Σ_k exp(-(2k-1)²π²/(8x²)), a series that converges fast for small x.
 */
function smallArgumentCdf(x: number): number {
  const alpha = -PI2 / (8 * x * x);
  let cdf = 0;
  for (let k = 1; k < 50; k += 2) {
    const term = Math.exp(alpha * k * k);
    cdf += term;
    if (term <= 1e-17 * cdf) break;
  }
  return (SQRT_2PI / x) * cdf;
}

/**
 * Survival function of Kolmogorov's limiting distribution, P(K > x) with K = lim √n·D_n
 * (scipy.stats.kstwobign.sf / scipy.special.kolmogorov).
 */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  // Below π/√(8·746) the CDF underflows to 0.
  if (x <= 0.0406) return 1;
  if (x <= 0.82) return clip01(1 - smallArgumentCdf(x));
  // SF = 2 Σ_{k>=1} (-1)^(k-1) exp(-2k²x²).
  const v = Math.exp(-2 * x * x);
  let sf = 0;
  let sign = 1;
  for (let k = 1; k < 50; k++) {
    const term = v ** (k * k);
    sf += sign * term;
    if (term <= 1e-17 * sf) break;
    sign = -sign;
  }
  return clip01(2 * sf);
}

/** Cumulative distribution function of Kolmogorov's limiting distribution. */
export function kolmogorovCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0.0406) return 0;
  if (x <= 0.82) return clip01(smallArgumentCdf(x));
  return clip01(1 - kolmogorovSf(x));
}

/**
 * Survival function of the exact one-sided Kolmogorov–Smirnov statistic, P(D_n^+ >= x)
 * (scipy.special.smirnov). Uses the Birnbaum–Tingey sum
 * x Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v), whose terms are all positive.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && Number.isInteger(n) && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  if (-2 * n * x * x < -745) return 0;
  if (n * x >= n - 1) return (1 - x) ** n;
  if (n > 1_000_000) {
    // Same large-n approximation as scipy: p ≈ exp(-(6nx + 1)² / (18n)).
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  let total = 0;
  // C(n, v) = binomMantissa · 2^binomExponent, updated by exact-ish ratios: a running product
  // keeps its rounding error near v·ε, where a running sum of logarithms would lose ~1e-11.
  let binomMantissa = 1;
  let binomExponent = 0;
  let previous = 0;
  let peakPassed = false;
  const nx = n * x;
  for (let v = 0; v < n; v++) {
    // a = x + v/n; (1 - a)^(n-v) via log1p(-a) keeps the large exponent from amplifying rounding.
    const a = (nx + v) / n;
    if (a >= 1) break;
    if (v > 0) {
      binomMantissa *= (n - v + 1) / v;
      if (binomMantissa > 2 ** 500) {
        binomMantissa *= 2 ** -500;
        binomExponent += 500;
      } else if (binomMantissa < 2 ** -500) {
        binomMantissa *= 2 ** 500;
        binomExponent -= 500;
      }
    }
    const logTerm = (v - 1) * Math.log(a) + (n - v) * Math.log1p(-a) + binomExponent * Math.LN2;
    const term = Math.exp(Math.log(binomMantissa) + logTerm);
    total += term;
    if (term > 0 && term < previous) peakPassed = true;
    // Past the peak the terms decrease geometrically; stop once they no longer change the sum.
    if (peakPassed && term < 1e-18 * total) break;
    previous = term;
  }
  return clip01(x * total);
}

// ---------------------------------------------------------------------------------------------
// Two-sided one-sample distribution (scipy.stats.kstwo).

/** P(D_n <= d) by Durbin's matrix method, with the scaling of Marsaglia, Tsang & Wang (2003). */
function durbinMatrixCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let hMat: Float64Array = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tail = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tail) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) hMat[r * m + i] = w[r - i + 1]!;
  }
  for (let r = 0; r < m; r++) hMat[r * m] = v[r]!;
  for (let c = 0; c < m; c++) hMat[(m - 1) * m + c] = v[m - 1 - c]!;

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  let remaining = n;
  const scratch = new Float64Array(m * m);
  const multiply = (a: Float64Array, b: Float64Array): Float64Array => {
    scratch.fill(0);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < m; l++) {
        const ail = a[i * m + l]!;
        if (ail === 0) continue;
        for (let j = 0; j < m; j++) scratch[i * m + j]! += ail * b[l * m + j]!;
      }
    }
    return Float64Array.from(scratch);
  };
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      power = multiply(power, hMat);
      exponent += hExponent;
    }
    hMat = multiply(hMat, hMat);
    hExponent *= 2;
    if (Math.abs(hMat[(k - 1) * m + (k - 1)]!) > SCALE_UP) {
      for (let i = 0; i < m * m; i++) hMat[i]! *= SCALE_DOWN;
      hExponent += SCALE_EXP;
    }
    remaining = Math.floor(remaining / 2);
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXP;
    }
  }
  return clip01(scaleByPowerOfTwo(p, exponent));
}

/** Index range [j1, j2] of row i in Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= x) by Pomeranz's (1974) recursion. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  // Powers (c/n)^m / m! for the three interval lengths that occur.
  const gPow = new Float64Array(size);
  const twoGPow = new Float64Array(size);
  const oneMinusTwoGPow = new Float64Array(size);
  gPow[0] = twoGPow[0] = oneMinusTwoGPow[0] = 1;
  for (let m = 1; m < size; m++) {
    gPow[m] = (gPow[m - 1]! * (g / n)) / m;
    twoGPow[m] = (twoGPow[m - 1]! * ((2 * g) / n)) / m;
    oneMinusTwoGPow[m] = (oneMinusTwoGPow[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  let prev = new Float64Array(size);
  let cur = new Float64Array(size);
  cur[0] = 1;
  let prevStart = 0;
  let curStart = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzRange(0, n, ll, ceilf, roundf);
  for (let i = 1; i <= 2 * n + 1; i++) {
    const k1 = j1;
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
    cur.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilf, roundf);
    const powers = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinusTwoGPow;
    const width = j2 - k1 + 1;
    if (width > 0) {
      const offset = k1 - prevStart;
      const available = Math.min(width, size - offset);
      const convStart = j1 - k1;
      const convLength = j2 - j1 + 1;
      let maxValue = 0;
      for (let c = 0; c < convLength; c++) {
        const kk = convStart + c;
        let s = 0;
        const lo = Math.max(0, kk - width + 1);
        const hi = Math.min(kk, available - 1);
        for (let a = lo; a <= hi; a++) s += prev[offset + a]! * powers[kk - a]!;
        cur[c] = s;
        if (s > maxValue) maxValue = s;
      }
      if (maxValue > 0 && maxValue < SCALE_DOWN) {
        for (let c = 0; c < size; c++) cur[c]! *= SCALE_UP;
        exponent -= SCALE_EXP;
      }
      curStart = prevStart + j1 - k1;
    }
  }
  let answer = cur[n - curStart]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += SCALE_EXP;
    }
    answer *= m;
  }
  return clip01(scaleByPowerOfTwo(answer, exponent));
}

/** Pelz–Good (1976) asymptotic expansion of P(D_n <= x). */
function pelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI2 * PI2 * (1 - 2 * z2)) / 16;
  const k3d = (PI2 * PI2 * PI2 * (5 - 30 * z2)) / 64;
  const k3c = (PI2 * PI2 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  // Horner-like accumulation in powers of q^8, from the smallest term up.
  for (let k = maxK; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    terms[0] = terms[0]! * qPower + 1;
    terms[1] = terms[1]! * qPower + (k1a + k1b * m2);
    terms[2] = terms[2]! * qPower + (k2a + k2b * m2 + k2c * m4);
    terms[3] = terms[3]! * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i]! * q * SQRT_2PI) / divisors[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let extra2 = 0;
  let extra3 = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    extra2 += k2 * qp;
    const kpi = Math.PI * k;
    extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  terms[2] = terms[2]! + (extra2 * PI2 * SQRT_2PI) / (-36 * z2 * z);
  terms[3] = terms[3]! + (extra3 * PI2 * SQRT_2PI) / (216 * z6);
  let total = 0;
  for (let i = 0; i < 4; i++) total += terms[i]! / n ** (i / 2);
  return total;
}

function kolmogorovSmirnovTwoSided(n: number, x: number, upper: boolean): number {
  if (!(n > 0 && Number.isInteger(n)) || Number.isNaN(x)) return Number.NaN;
  const pick = (cdf: number, sf: number): number => clip01(upper ? sf : cdf);
  if (x >= 1) return pick(1, 0);
  if (x <= 0) return pick(0, 1);
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return pick(0, 1);
    // Ruben–Gambino: P(D_n <= x) = n!/n^n (2nx - 1)^n for 1/(2n) <= x <= 1/n.
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= (i / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    }
    return pick(prob, 1 - prob);
  }
  if (t >= n - 1) {
    const prob = 2 * (1 - x) ** n;
    return pick(1 - prob, prob);
  }
  if (x >= 0.5) {
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob);
  }
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) {
      const prob = durbinMatrixCdf(n, x);
      return pick(prob, 1 - prob);
    }
    if (nxSquared <= 4) {
      const prob = pomeranzCdf(n, x);
      return pick(prob, 1 - prob);
    }
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob);
  }
  if (upper) {
    if (nxSquared >= 370) return 0;
    if (nxSquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  }
  let cdf: number;
  if (nxSquared >= 18) cdf = 1;
  else if (n <= 100_000 && n * x ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, x);
  else cdf = pelzGood(n, x);
  return pick(cdf, 1 - cdf);
}

/** P(D_n <= x) for the two-sided one-sample Kolmogorov–Smirnov statistic (scipy.stats.kstwo.cdf). */
export function kolmogorovSmirnovCdf(n: number, x: number): number {
  return kolmogorovSmirnovTwoSided(n, x, false);
}

/** P(D_n >= x) for the two-sided one-sample Kolmogorov–Smirnov statistic (scipy.stats.kstwo.sf). */
export function kolmogorovSmirnovSf(n: number, x: number): number {
  return kolmogorovSmirnovTwoSided(n, x, true);
}
