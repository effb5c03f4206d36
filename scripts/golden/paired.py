"""Golden values for packages/stats/src/paired (statsmodels' McNemar, scikit-learn and numpy for DeLong).

Run: scripts/golden/.venv/bin/python -P scripts/golden/paired.py  (-P: scripts/golden/ must not shadow stdlib modules)
Writes packages/stats/fixtures/golden/paired.json.

- McNemar: `statsmodels.stats.contingency_tables.mcnemar` in its three forms.
- Paired accuracy difference: Newcombe's hybrid score interval (1998, method 10) written out here in
  numpy from the paper's formulas, with Wilson limits from `statsmodels.stats.proportion.proportion_confint`.
- DeLong: AUCs from scikit-learn's `roc_auc_score`; the variance from the structural components
  computed by brute force over every (positive, negative) pair, O(m·n), independent of the mid-rank
  shortcut the TypeScript code uses.
"""

import sys
import warnings
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # for _common; appended, so it hides no standard module

import numpy as np
import scipy
import sklearn
import statsmodels
from _common import clean, generator, write_fixture
from scipy import stats
from sklearn.metrics import roc_auc_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20261202)


def newcombe(a, b, c, d, confidence):
    n = a + b + c + d
    alpha = 1 - confidence
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = proportion_confint(a + b, n, alpha=alpha, method="wilson")
    l2, u2 = proportion_confint(a + c, n, alpha=alpha, method="wilson")
    spread = (a + b) * (c + d) * (a + c) * (b + d)
    phi = (a * d - b * c) / np.sqrt(spread) if spread > 0 else 0.0
    delta = p1 - p2
    lower = delta - np.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    upper = delta + np.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    wald = np.sqrt(b + c - (b - c) ** 2 / n) / n
    return {"a": p1, "b": p2, "difference": delta, "lower": lower, "upper": upper, "standardError": wald}


def mcnemar_cases():
    tables = [
        (10, 5, 15, 20),
        (100, 3, 0, 50),
        (40, 7, 7, 3),  # equal discordant counts
        (30, 0, 0, 12),  # no discordant rows
        (0, 1, 0, 0),
        (794, 86, 150, 570),  # Agresti (2002) presidential approval example
        (5000, 230, 181, 900),
        (12, 40, 2, 3),
        (0, 0, 0, 0),
    ]
    for _ in range(6):
        tables.append(tuple(int(v) for v in rng.integers(0, 60, 4)))
    cases = []
    for t in tables:
        both, only_a, only_b, wrong = t
        # statsmodels' table: rows A right/wrong, columns B right/wrong; it reads only [0,1] and [1,0].
        table = np.array([[both, only_a], [only_b, wrong]])
        entry = {"table": {"bothCorrect": both, "onlyA": only_a, "onlyB": only_b, "bothWrong": wrong}}
        for name, exact, correction in [("exact", True, True), ("chiSquare", False, False), ("chiSquareCorrected", False, True)]:
            r = mcnemar(table, exact=exact, correction=correction)
            entry[name] = {"statistic": r.statistic, "pValue": r.pvalue}
        if sum(t) > 0:
            entry["difference95"] = newcombe(both, only_a, only_b, wrong, 0.95)
            entry["difference90"] = newcombe(both, only_a, only_b, wrong, 0.90)
        cases.append(entry)
    return cases


def delong_brute_force(y, sa, sb):
    pos, neg = y == 1, y != 1
    m, n = pos.sum(), neg.sum()
    out = {"positives": int(m), "negatives": int(n)}
    comps = []
    for s in (sa, sb):
        x, z = s[pos], s[neg]
        psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
        comps.append((psi.mean(axis=1), psi.mean(axis=0)))
    out["aucA"] = roc_auc_score(pos.astype(int), sa)
    out["aucB"] = roc_auc_score(pos.astype(int), sb)
    s10 = np.cov(np.vstack([comps[0][0], comps[1][0]]))
    s01 = np.cov(np.vstack([comps[0][1], comps[1][1]]))
    cov = s10 / m + s01 / n
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    diff = out["aucA"] - out["aucB"]
    se = np.sqrt(var)
    z = diff / se
    out.update(
        difference=diff,
        variance=var,
        standardError=se,
        z=z,
        pValue=2 * stats.norm.sf(abs(z)),
        lower=diff - stats.norm.ppf(0.975) * se,
        upper=diff + stats.norm.ppf(0.975) * se,
    )
    return out


def delong_cases():
    cases = []

    def case(name, y, sa, sb):
        y = np.asarray(y)
        sa = np.asarray(sa, dtype=float)
        sb = np.asarray(sb, dtype=float)
        cases.append({"name": name, "yTrue": y.tolist(), "scoresA": sa.tolist(), "scoresB": sb.tolist(), **delong_brute_force(y, sa, sb)})

    n = 400
    y = rng.integers(0, 2, n)
    signal = rng.normal(size=n) + 1.0 * y
    sa = 1 / (1 + np.exp(-(signal + 0.5 * rng.normal(size=n))))
    sb = 1 / (1 + np.exp(-(signal + 1.2 * rng.normal(size=n))))
    case("correlated_continuous", y, sa, sb)
    case("ties_rounded", y, np.round(sa, 1), np.round(sb, 1))
    y2 = rng.integers(0, 2, 150)
    case("independent_models", y2, rng.random(150) + 0.3 * y2, rng.random(150) + 0.1 * y2)
    y3 = (rng.random(1000) < 0.08).astype(int)  # rare positives
    base = rng.normal(size=1000) + 1.5 * y3
    case("rare_positives", y3, base + rng.normal(size=1000), np.round(base + 0.7 * rng.normal(size=1000), 2))
    case("small", [0, 0, 1, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.5], [0.3, 0.2, 0.6, 0.7, 0.5, 0.4, 0.9])
    return cases


fixture = {
    "generator": generator(
        "paired.py",
        {"statsmodels": statsmodels.__version__, "scikit-learn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
    ),
    "mcnemar": mcnemar_cases(),
    "delong": delong_cases(),
}
# Infinities as 1e999, which JSON.parse reads back as Infinity (NaN is already null).
write_fixture("paired", clean(fixture), text=lambda s: s.replace("Infinity", "1e999"))
