"""Golden values for the numeric drift methods in packages/stats/src/drift.

Run: scripts/golden/.venv/bin/python scripts/golden/drift_numeric.py
Writes packages/stats/fixtures/golden/drift_numeric.json.

References: scipy.stats (ks_2samp, wasserstein_distance, energy_distance, anderson_ksamp,
cramervonmises_2samp, mannwhitneyu, ttest_ind), scipy.spatial.distance.jensenshannon,
scipy.stats.entropy. PSI and Hellinger have no scipy function; the numpy formulas below are the
reference definitions:
  bins   = unique(np.quantile(reference, [1/10, ..., 9/10])) with -inf / +inf outer edges,
           bin of x = searchsorted(edges, x, side='right') - 1 (left-closed bins)
  p, q   = reference / current counts divided by their totals
  PSI    = sum((q' - p') * ln(q' / p')), p', q' = p, q with zeros replaced by 1e-4
  Hellinger = ||sqrt(p) - sqrt(q)||_2 / sqrt(2)
  KL     = scipy.stats.entropy(p', q') (renormalised), JS = jensenshannon(p, q, base=2)
  Wasserstein normed = wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)  (Evidently)

Large samples are not stored: they are generated in both languages by exact integer arithmetic,
value_k = ((k*a mod m)^2 / m^2) * scale + shift, k = 0..n-1 (every operation correctly rounded).
"""

import json
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = pathlib.Path(__file__).resolve().parents[2] / "packages/stats/fixtures/golden/drift_numeric.json"
EPS = 1e-4
warnings.filterwarnings("ignore")


def generated(spec):
    k = np.arange(spec["n"], dtype=np.int64)
    r = (k * spec["a"]) % spec["m"]
    return ((r * r).astype(np.float64) / float(spec["m"] * spec["m"])) * spec["scale"] + spec["shift"]


def quantile_edges(ref, bins=10):
    qs = np.quantile(ref, [i / bins for i in range(1, bins)])
    inner = np.unique(qs)
    return np.concatenate([[-np.inf], inner, [np.inf]])


def counts(values, edges):
    idx = np.searchsorted(edges, values, side="right") - 1
    return np.bincount(idx, minlength=len(edges) - 1).astype(float)


def histogram_metrics(rc, cc):
    p = rc / rc.sum()
    q = cc / cc.sum()
    ps = np.where(p == 0, EPS, p)
    qs = np.where(q == 0, EPS, q)
    return {
        "psi": float(np.sum((qs - ps) * np.log(qs / ps))),
        "jensenShannon": float(jensenshannon(p, q, base=2)),
        "hellinger": float(np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / np.sqrt(2)),
        "kl": float(stats.entropy(ps, qs)),
    }


def fnum(x):
    x = float(x)
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def raw_metrics(x, y, small_exact):
    out = {}
    ks = stats.ks_2samp(x, y)
    out["ks"] = {
        "statistic": float(ks.statistic),
        "pValue": float(ks.pvalue),
        "method": "exact" if max(len(x), len(y)) <= 10000 else "asymptotic",
        "location": float(ks.statistic_location),
        "sign": int(ks.statistic_sign),
    }
    out["wasserstein"] = float(stats.wasserstein_distance(x, y))
    out["wassersteinNormed"] = float(stats.wasserstein_distance(x, y) / max(np.std(x), 0.001))
    out["energy"] = float(stats.energy_distance(x, y))
    ad = stats.anderson_ksamp([x, y], midrank=True)
    out["andersonDarling"] = {
        "statistic": float(ad.statistic),
        "criticalValues": [float(c) for c in ad.critical_values],
        "pValue": float(ad.significance_level),
    }
    cvm = stats.cramervonmises_2samp(x, y)
    out["cramerVonMises"] = {
        "statistic": float(cvm.statistic),
        "pValue": float(cvm.pvalue),
        "method": "exact" if max(len(x), len(y)) <= 20 else "asymptotic",
    }
    mw = stats.mannwhitneyu(x, y, method="asymptotic")
    out["mannWhitney"] = {"statistic": float(mw.statistic), "pValue": float(mw.pvalue)}
    if small_exact:
        mwe = stats.mannwhitneyu(x, y, method="exact")
        out["mannWhitneyExact"] = {"statistic": float(mwe.statistic), "pValue": float(mwe.pvalue)}
    welch = stats.ttest_ind(x, y, equal_var=False)
    student = stats.ttest_ind(x, y, equal_var=True)
    out["welch"] = {"statistic": float(welch.statistic), "pValue": float(welch.pvalue), "df": float(welch.df)}
    out["student"] = {"statistic": float(student.statistic), "pValue": float(student.pvalue), "df": float(student.df)}
    edges = quantile_edges(x)
    rc, cc = counts(x, edges), counts(y, edges)
    out["bins"] = {"edges": [fnum(e) for e in edges], "reference": rc.tolist(), "current": cc.tolist()}
    out["histogram"] = histogram_metrics(rc, cc)
    return out


def binned_metrics(x, y):
    """Binned methods: scipy on the bin indices (rank tests) or on bin midpoints (distances)."""
    edges = quantile_edges(x)
    rc, cc = counts(x, edges), counts(y, edges)
    lower, upper = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
    finite = edges.copy()
    finite[0], finite[-1] = min(lower, finite[1]), max(upper, finite[-2])
    mids = finite[:-1] + (finite[1:] - finite[:-1]) / 2
    bins = np.arange(len(rc))
    bx, by = np.repeat(bins, rc.astype(int)), np.repeat(bins, cc.astype(int))
    mx, my = np.repeat(mids, rc.astype(int)), np.repeat(mids, cc.astype(int))
    ks = stats.ks_2samp(bx, by)
    ad = stats.anderson_ksamp([bx, by], midrank=True)
    cvm = stats.cramervonmises_2samp(bx, by, method="asymptotic")
    mw = stats.mannwhitneyu(bx, by, method="asymptotic")
    welch = stats.ttest_ind(mx, my, equal_var=False)
    return {
        "bounds": {"lower": lower, "upper": upper},
        "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
        "andersonDarling": {"statistic": float(ad.statistic), "pValue": float(ad.significance_level)},
        "cramerVonMises": {"statistic": float(cvm.statistic), "pValue": float(cvm.pvalue)},
        "mannWhitney": {"statistic": float(mw.statistic), "pValue": float(mw.pvalue)},
        "wasserstein": float(stats.wasserstein_distance(mids, mids, rc, cc)),
        "energy": float(stats.energy_distance(mids, mids, rc, cc)),
        "welch": {"statistic": float(welch.statistic), "pValue": float(welch.pvalue)},
    }


rng = np.random.default_rng(7)
cases = []


def add(name, x, y, small_exact=False, spec=None):
    case = {"name": name}
    if spec is None:
        case["reference"] = [float(v) for v in x]
        case["current"] = [float(v) for v in y]
    else:
        case["generated"] = spec
    case["expected"] = raw_metrics(x, y, small_exact)
    case["binned"] = binned_metrics(x, y)
    cases.append(case)


x = np.round(rng.normal(0, 1, 8), 6)
y = np.round(rng.normal(0.8, 1, 12), 6)
add("small no ties 8 vs 12", x, y, small_exact=True)
x = np.round(rng.normal(0, 1, 15), 1)
y = np.round(rng.normal(0.3, 1.2, 20), 1)
add("small with ties 15 vs 20", x, y)
x = np.round(rng.normal(0, 1, 100), 4)
y = np.round(rng.normal(0.25, 1, 100), 4)
add("equal sizes 100 vs 100", x, y)
x = np.round(rng.gamma(2.0, 1.5, 200), 4)
y = np.round(rng.gamma(2.2, 1.5, 310), 4)
add("skewed 200 vs 310", x, y)
x = np.round(rng.normal(10, 2, 1500), 1)
y = np.round(rng.normal(10.2, 2.1, 2500), 1)
add("ties 1500 vs 2500", x, y)
x = np.round(rng.normal(0, 1, 60), 3)
y = np.round(rng.normal(3, 1, 50), 3)
add("strong drift 60 vs 50", x, y)
specs = [
    ("generated 12000 vs 15000", {"n": 12000, "a": 7919, "m": 10007, "scale": 100.0, "shift": 0.0},
     {"n": 15000, "a": 7907, "m": 10009, "scale": 100.0, "shift": 0.5}),
    ("generated 30000 vs 30000", {"n": 30000, "a": 7919, "m": 30011, "scale": 50.0, "shift": 0.0},
     {"n": 30000, "a": 104729, "m": 30013, "scale": 50.0, "shift": 1.0}),
]
for name, sx, sy in specs:
    add(name, generated(sx), generated(sy), spec={"reference": sx, "current": sy})

data = {
    "generator": f"scripts/golden/drift_numeric.py; numpy {np.__version__}, scipy {scipy.__version__}",
    "epsilon": EPS,
    "cases": cases,
}
OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
