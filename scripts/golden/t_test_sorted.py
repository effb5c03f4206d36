"""Golden values for the t-tests on large sorted samples (packages/stats/src/drift/t-test.ts).

Run: scripts/golden/generate.sh t_test_sorted.py
Writes packages/stats/fixtures/golden/t_test_sorted.json.

On large sorted samples a mean computed with a plain (uncompensated) correction pass drifts by
many ulps, and a t-test whose means are close moves its p-value past 1e-9 relative. These cases
are built so that the p-values are that sensitive: means close to each other relative to their
size, long runs of values on one side of the mean. References: scipy.stats.ttest_ind
(equal_var=False and True) on the sorted samples; the correctly rounded mean by exact rational
arithmetic (fractions.Fraction).

Samples are generated in both languages by exact integer arithmetic, then sorted ascending:
value_k = ((k*a mod m) mod levels) / levels * scale + shift, k = 0..n-1 (every operation
correctly rounded), so each sample is a few values repeated in long runs, as real data with ties.
The script checks scipy's p-values against exact ones (rational moments, mpmath's incomplete
beta at 50 digits) before writing them, so the fixture is good to far better than the test's bar.
"""

import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import scipy
from scipy import stats

sys.path.append(str(Path(__file__).resolve().parent))
from _common import generator, write_fixture  # noqa: E402


def generated(spec):
    k = np.arange(spec["n"], dtype=np.int64)
    r = ((k * spec["a"]) % spec["m"]) % spec["levels"]
    values = (r.astype(np.float64) / float(spec["levels"])) * spec["scale"] + spec["shift"]
    return np.sort(values)


def exact_mean(values):
    """The mean of the doubles, correctly rounded to a double."""
    return float(sum(Fraction(float(v)) for v in values) / len(values))


def t_test(x, y, equal_var):
    r = stats.ttest_ind(x, y, equal_var=equal_var)
    exact = exact_p(x, y, equal_var)
    error = abs(mpmath.mpf(float(r.pvalue)) / exact - 1)
    assert error < 1e-11, f"scipy's p-value is {float(error):.3g} off the exact one"
    return {"statistic": float(r.statistic), "pValue": float(r.pvalue), "df": float(r.df)}


SPECS = [
    (
        "sorted ties 200000 vs 200000, t about -10",
        {"n": 200000, "a": 7919, "m": 1000003, "levels": 13, "scale": 10.0, "shift": 0.0},
        {"n": 200000, "a": 104729, "m": 999983, "levels": 11, "scale": 10.0, "shift": 0.165},
    ),
    (
        "sorted ties 300000 vs 150000, t about 6",
        {"n": 300000, "a": 7907, "m": 1000003, "levels": 17, "scale": 10.0, "shift": 0.0},
        {"n": 150000, "a": 7919, "m": 999983, "levels": 13, "scale": 10.0, "shift": -0.05},
    ),
]


def exact_p(x, y, equal_var):
    """Two-sided p-value from the samples' exact rational moments, at 50 digits."""
    mpmath.mp.dps = 50
    moments = []
    for values in (x, y):
        n = len(values)
        fractions = [Fraction(float(v)) for v in values]
        m = sum(fractions) / n
        var = sum((f - m) ** 2 for f in fractions) / (n - 1)
        moments.append((n, m, var))
    (nx, mx, vx), (ny, my, vy) = moments
    if equal_var:
        df = Fraction(nx + ny - 2)
        pooled = ((nx - 1) * vx + (ny - 1) * vy) / df
        se2 = pooled * (Fraction(1, nx) + Fraction(1, ny))
    else:
        a, b = vx / nx, vy / ny
        se2 = a + b
        df = se2**2 / (a**2 / (nx - 1) + b**2 / (ny - 1))
    t = mpmath.mpf(mx - my) / mpmath.sqrt(mpmath.mpf(se2))
    nu = mpmath.mpf(df)
    return mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True)

cases = []
for name, sx, sy in SPECS:
    x = generated(sx)
    y = generated(sy)
    cases.append(
        {
            "name": name,
            "reference": sx,
            "current": sy,
            "mean": {"reference": exact_mean(x), "current": exact_mean(y)},
            "welch": t_test(x, y, False),
            "student": t_test(x, y, True),
        }
    )

write_fixture(
    "t_test_sorted",
    {
        "generator": generator("t_test_sorted.py", {"numpy": np.__version__, "scipy": scipy.__version__, "mpmath": mpmath.__version__}),
        "cases": cases,
    },
)
