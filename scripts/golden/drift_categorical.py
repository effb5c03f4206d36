"""Golden values for categorical drift tests, distances and multiple-testing adjustment.

Writes packages/stats/fixtures/golden/drift_categorical.json. Inputs are category counts drawn
from seeded numpy generators and stored in the fixture, so the TypeScript tests read the very
same inputs. Run: scripts/golden/.venv/bin/python scripts/golden/drift_categorical.py
"""

import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

OUT = Path(__file__).resolve().parents[2] / "packages/stats/fixtures/golden/drift_categorical.json"


def finite(x):
    """JSON has no infinity; the tests read null as NaN and never store infinite values."""
    x = float(x)
    return None if math.isnan(x) else x


def align(ref, cur):
    keys = sorted(set(k for k, v in ref.items() if v > 0) | set(k for k, v in cur.items() if v > 0))
    r = np.array([ref.get(k, 0) for k in keys], dtype=float)
    c = np.array([cur.get(k, 0) for k in keys], dtype=float)
    return keys, r, c


def make_case(rng, k, n_ref, n_cur, shift, drop_current=0, new_current=0):
    """Multinomial counts over k categories; `shift` moves mass between the two first categories."""
    names = [f"c{i:02d}" for i in range(k)]
    p = rng.dirichlet(np.full(k, 2.0))
    q = p.copy()
    move = min(shift, q[0])
    q[0] -= move
    q[1] += move
    ref = dict(zip(names, rng.multinomial(n_ref, p).tolist()))
    cur_names = names[drop_current:] + [f"new{i}" for i in range(new_current)]
    q_cur = np.concatenate([q[drop_current:], np.full(new_current, 0.05)])
    q_cur = q_cur / q_cur.sum()
    cur = dict(zip(cur_names, rng.multinomial(n_cur, q_cur).tolist()))
    return ref, cur


def distances(r, c):
    p = r / r.sum()
    q = c / c.sum()
    return {
        "jensenShannon": float(distance.jensenshannon(p, q, base=2)),
        "lInfinity": float(np.max(np.abs(p - q))),
        "totalVariation": float(0.5 * np.sum(np.abs(p - q))),
        "hellinger": float(np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / np.sqrt(2)),
        "psi": psi(p, q),
    }


def psi(p, q):
    """PSI with empty categories set to proportion 1e-4, not renormalised (as the numeric PSI)."""
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return float(np.sum((q - p) * np.log(q / p)))


def test_values(ref, cur):
    keys, r, c = align(ref, cur)
    out = {}
    if len(keys) >= 2:
        table = np.vstack([r, c])
        for name, correction, lam in [
            ("chiSquareContingency", False, None),
            ("chiSquareContingencyYates", True, None),
            ("gTestContingency", False, "log-likelihood"),
            ("gTestContingencyYates", True, "log-likelihood"),
        ]:
            res = stats.chi2_contingency(table, correction=correction, lambda_=lam)
            out[name] = {"statistic": float(res.statistic), "pValue": float(res.pvalue), "dof": int(res.dof)}
        if np.all(r > 0):
            f_exp = r * c.sum() / r.sum()
            res = stats.chisquare(c, f_exp)
            out["chiSquare"] = {"statistic": float(res.statistic), "pValue": float(res.pvalue)}
            res = stats.power_divergence(c, f_exp, lambda_="log-likelihood")
            out["gTest"] = {"statistic": float(res.statistic), "pValue": float(res.pvalue)}
    if len(keys) == 2:
        n1, n2 = r.sum(), c.sum()
        p1, p2 = r[0] / n1, c[0] / n2
        pooled = (r[0] + c[0]) / (n1 + n2)
        z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        out["zTest"] = {"statistic": z, "pValue": float(2 * stats.norm.sf(abs(z)))}
        res = stats.fisher_exact(table.astype(np.int64))
        out["fisherExact"] = {"statistic": finite(res.statistic), "pValue": float(res.pvalue)}
    out.update(distances(r, c))
    return out


def categorical_cases():
    rng = np.random.default_rng(20240611)
    cases = []
    specs = [
        # k, n_ref, n_cur, shift, drop, new
        (2, 30, 25, 0.0, 0, 0),
        (2, 200, 150, 0.1, 0, 0),
        (2, 5000, 3000, 0.02, 0, 0),
        (2, 100000, 80000, 0.005, 0, 0),
        (3, 40, 60, 0.0, 0, 0),
        (3, 500, 400, 0.15, 0, 0),
        (5, 1000, 1000, 0.0, 0, 0),
        (5, 1000, 800, 0.05, 0, 1),
        (5, 2000, 900, 0.05, 1, 0),
        (10, 300, 250, 0.1, 0, 2),
        (10, 50000, 20000, 0.01, 0, 0),
        (30, 10000, 5000, 0.0, 0, 0),
        (30, 800, 700, 0.2, 2, 3),
    ]
    for k, n_ref, n_cur, shift, drop, new in specs:
        ref, cur = make_case(rng, k, n_ref, n_cur, shift, drop, new)
        cases.append({"reference": ref, "current": cur, "expected": test_values(ref, cur)})
    # Hand-made edge cases: a category only in the current sample, and a single category.
    for ref, cur in [
        ({"a": 10, "b": 5}, {"a": 3, "b": 4, "c": 2}),
        ({"x": 7}, {"x": 9}),
        ({"yes": 12, "no": 0}, {"yes": 0, "no": 9}),
    ]:
        cases.append({"reference": ref, "current": cur, "expected": test_values(ref, cur)})
    return cases


def fisher_cases():
    rng = np.random.default_rng(7)
    tables = [
        [[8, 2], [1, 5]],
        [[6, 2], [1, 4]],
        [[0, 5], [5, 0]],
        [[3, 3], [3, 3]],
        [[10, 10], [10, 10]],
        [[1, 0], [0, 1]],
        [[100, 95], [90, 120]],
        [[0, 10], [3, 12]],
        [[2, 7], [8, 2]],
        [[1000, 200], [950, 260]],
        [[12000, 3000], [11800, 3300]],
        [[5, 0], [0, 0]],
        [[20, 20], [20, 20]],
        [[21, 19], [19, 21]],
    ]
    for _ in range(20):
        n = int(rng.integers(2, 400))
        a, b, c = (int(x) for x in rng.integers(0, n, size=3))
        d = int(rng.integers(0, n))
        tables.append([[a, b], [c, d]])
    out = []
    for t in tables:
        res = stats.fisher_exact(np.array(t, dtype=np.int64))
        out.append({"table": t, "oddsRatio": finite(res.statistic) if np.isfinite(res.statistic) or np.isnan(res.statistic) else "Infinity", "pValue": float(res.pvalue)})
    return out


def multiple_testing_cases():
    rng = np.random.default_rng(99)
    cases = [
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0],
        [0.5, 0.6, 0.1, 0.001],
        [0.05],
        [0.01, 0.01, 0.01, 0.02, 0.02],
    ]
    cases.append(rng.uniform(size=25).tolist())
    cases.append(np.concatenate([rng.uniform(size=40), rng.uniform(0, 0.001, size=10)]).tolist())
    return [
        {
            "pValues": p,
            "benjaminiHochberg": stats.false_discovery_control(np.array(p)).tolist(),
            "bonferroni": np.minimum(1.0, np.array(p) * len(p)).tolist(),
        }
        for p in cases
    ]


def main():
    fixture = {
        "generator": f"scripts/golden/drift_categorical.py (numpy {np.__version__}, scipy {scipy.__version__})",
        "categorical": categorical_cases(),
        "fisher": fisher_cases(),
        "multipleTesting": multiple_testing_cases(),
    }
    OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
