"""Golden values for packages/stats/src/math, from scipy.special / scipy.stats / numpy.

Run: scripts/golden/.venv/bin/python scripts/golden/math_special.py
(Not named math.py: that would shadow the standard `math` module for every script in this folder.)
Writes packages/stats/fixtures/golden/math.json.
"""

import json
import pathlib

import numpy as np
import scipy
from scipy import special, stats
from scipy.stats._hypotests import _cdf_cvm_inf

OUT = pathlib.Path(__file__).resolve().parents[2] / "packages/stats/fixtures/golden/math.json"


def f(x):
    x = float(x)
    if np.isnan(x):
        return None
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def table(fn, args_list):
    return [{"args": [f(a) for a in args], "value": f(fn(*args))} for args in args_list]


xs = [-40, -38, -20, -8.5, -5, -3, -1.5, -0.5, -0.1, -1e-9, 0, 1e-9, 0.1, 0.3, 0.46875, 0.5, 1, 2, 3.9, 4.1, 6, 8.2, 10, 26, 30]
ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.05, 0.1, 0.3, 0.075, 0.5, 0.7, 0.9, 0.975, 0.999, 1 - 1e-10]
gamma_args = [0.001, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 4.7, 7.99, 8, 10, 33.3, 100, 1234.5, 1e6, -0.5, -2.7]
gamma_pairs = [
    (0.5, 0.1), (0.5, 2), (1, 1), (2.5, 1), (2.5, 3.5), (3, 10), (10, 5), (10, 15), (10, 30), (50, 45),
    (50, 60), (100, 90), (100, 130), (500, 480), (5000, 5100), (0.01, 0.5), (0.01, 3), (25, 0.5), (1.5, 80),
    (1e5, 1.01e5), (1e5, 0.98e5),
]
beta_triples = [
    (0.5, 0.5, 0.3), (1, 1, 0.25), (2, 3, 0.4), (2, 3, 0.9), (5, 0.5, 0.99), (0.5, 5, 0.01), (10, 10, 0.5),
    (30, 2, 0.7), (100, 0.5, 0.999), (250, 0.5, 0.98), (2.5, 7.5, 0.1), (50, 60, 0.4), (1e3, 1e3, 0.49),
    (5e5, 0.5, 0.99999), (0.5, 5e5, 1e-6), (12.3, 4.56, 0.8),
]
chi2_pairs = [(0.1, 1), (1, 1), (3.84, 1), (10, 1), (50, 1), (0.5, 2), (5.99, 2), (20, 3), (100, 10), (5, 10),
              (200, 150), (1000, 999), (1500, 1000), (1e-3, 4), (300, 4)]
t_pairs = [(0.5, 1), (-0.5, 1), (2, 2), (2.1, 3.5), (-3, 7.2), (1.96, 30), (5, 10), (10, 4.5), (3, 100), (4, 1000.5),
           (2, 5e5), (-6, 5e5), (40, 12), (0.01, 20), (25, 999999.7)]
f_triples = [(1, 1, 1), (2.5, 3, 10), (0.3, 5, 7), (4.2, 2, 100), (10, 20, 30.5), (1.1, 500, 600), (50, 3, 4)]
kstwobign = [0.05, 0.2, 0.5, 0.82, 0.83, 1, 1.36, 2, 3, 5]
kstwo = [(5, 0.15), (5, 0.3), (5, 0.6), (10, 0.08), (10, 0.2), (10, 0.27), (10, 0.45), (10, 0.95), (20, 0.1),
         (50, 0.05), (50, 0.1), (50, 0.2), (50, 0.35), (100, 0.06), (100, 0.15), (140, 0.1), (140, 0.2), (141, 0.05),
         (141, 0.1), (141, 0.2), (500, 0.02), (500, 0.05), (500, 0.1), (1000, 0.01), (1000, 0.03), (1000, 0.07),
         (3000, 0.01), (3000, 0.03), (20000, 0.003), (20000, 0.007), (20000, 0.02), (150000, 0.001), (150000, 0.004),
         (250000, 0.001), (250000, 0.002), (250000, 0.005), (2000, 0.0004), (2000, 0.00049), (2000, 0.9999)]
smirnov = [(5, 0.1), (5, 0.5), (20, 0.3), (100, 0.1), (1000, 0.05), (5000, 0.03), (100000, 0.004)]
cvm_inf = [0.01, 0.03, 0.05, 0.1, 0.2, 0.4619, 0.8, 1.2, 2, 3, 5]
kv = [(0.25, 0.001), (0.25, 0.03), (0.25, 0.5), (0.25, 1), (0.25, 4), (0.25, 20), (0.25, 150), (0.5, 2), (1.5, 0.7)]

rng = np.random.default_rng(20240601)
sample = np.round(rng.normal(size=37) * 3, 1)  # rounded so that ties occur
quantile_qs = [0, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.6, 0.75, 0.9, 0.99, 1]

data = {
    "generator": f"scripts/golden/math_special.py; numpy {np.__version__}, scipy {scipy.__version__}",
    "normalCdf": table(special.ndtr, [(x,) for x in xs]),
    "normalSf": table(lambda x: special.ndtr(-x), [(x,) for x in xs]),
    "erf": table(special.erf, [(x,) for x in xs]),
    "erfc": table(special.erfc, [(x,) for x in xs]),
    "normalQuantile": table(special.ndtri, [(p,) for p in ps]),
    "logGamma": table(special.gammaln, [(x,) for x in gamma_args]),
    "logBeta": table(special.betaln, [(a, b) for a, b, _ in beta_triples]),
    "regularizedGammaP": table(special.gammainc, gamma_pairs),
    "regularizedGammaQ": table(special.gammaincc, gamma_pairs),
    "regularizedIncompleteBeta": table(special.betainc, beta_triples),
    "chiSquareSf": table(stats.chi2.sf, chi2_pairs),
    "chiSquareCdf": table(stats.chi2.cdf, chi2_pairs),
    "studentTSf": table(stats.t.sf, t_pairs),
    "studentTCdf": table(stats.t.cdf, t_pairs),
    "fSf": table(stats.f.sf, f_triples),
    "fCdf": table(stats.f.cdf, f_triples),
    "kolmogorovSf": table(stats.kstwobign.sf, [(x,) for x in kstwobign]),
    "kolmogorovCdf": table(stats.kstwobign.cdf, [(x,) for x in kstwobign]),
    "kolmogorovSmirnovSf": table(lambda n, x: stats.kstwo.sf(x, n), kstwo),
    "kolmogorovSmirnovCdf": table(lambda n, x: stats.kstwo.cdf(x, n), kstwo),
    "smirnovSf": table(lambda n, x: special.smirnov(int(n), x), smirnov),
    "cramerVonMisesLimitCdf": table(lambda x: float(_cdf_cvm_inf(np.array([x], dtype=float))[0]), [(x,) for x in cvm_inf]),
    "besselK": table(special.kv, kv),
    "sample": [f(v) for v in sample],
    "quantiles": [{"q": q, "value": f(np.quantile(sample, q))} for q in quantile_qs],
    "rankAverage": [f(v) for v in stats.rankdata(sample)],
    "mean": f(np.mean(sample)),
    "variance1": f(np.var(sample, ddof=1)),
    "variance0": f(np.var(sample, ddof=0)),
    "tieCubeSum": f(sum(c**3 - c for c in np.unique(sample, return_counts=True)[1])),
}

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
print(f"wrote {OUT}")
