/** Limiting distribution of the Cramér–von Mises statistic. */
import { besselKScaled } from './bessel.js';
import { logGamma } from './gamma.js';

/**
 * CDF of the limiting Cramér–von Mises distribution (Csörgő & Faraway 1996, eq. 1.3):
 * Σ_k Γ(k+½)/(Γ(k+1) π^{3/2} √x) · √(4k+1) · exp(-q) K_{1/4}(q), q = (4k+1)²/(16x).
 * The series is truncated after the first term below 1e-7, exactly as scipy does, so p-values
 * built on it agree with scipy.stats.cramervonmises_2samp to rounding.
 */
export function cramerVonMisesLimitCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  let total = 0;
  for (let k = 0; k < 1000; k++) {
    const u = Math.exp(logGamma(k + 0.5) - logGamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    // exp(-q) K(q) = exp(-2q) · [exp(q) K(q)]
    const term = u * Math.sqrt(y) * Math.exp(-2 * q) * besselKScaled(0.25, q);
    total += term;
    if (Math.abs(term) < 1e-7) break;
  }
  return total;
}
