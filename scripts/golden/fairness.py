"""Golden values for packages/stats/src/fairness (fairlearn as reference).

Run: scripts/golden/.venv/bin/python -P scripts/golden/fairness.py  (-P: scripts/golden/ must not shadow stdlib modules)
Writes packages/stats/fixtures/golden/fairness.json.
"""

import sys
import warnings
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # for _common; appended, so it hides no standard module

import fairlearn
import numpy as np
import sklearn
from fairlearn import metrics as flm
from _common import clean, write_fixture
from sklearn.metrics import accuracy_score, precision_score

warnings.filterwarnings("ignore")
rng = np.random.default_rng(7)


def case(name, y_true, y_pred, groups):
    kwargs = dict(y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    frame = flm.MetricFrame(
        metrics={
            "count": flm.count,
            "selectionRate": flm.selection_rate,
            "truePositiveRate": flm.true_positive_rate,
            "falsePositiveRate": flm.false_positive_rate,
            "positivePredictiveValue": lambda t, p: precision_score(t, p, zero_division=np.nan),
            "accuracy": accuracy_score,
        },
        **kwargs,
    )
    by_group = frame.by_group
    return {
        "name": name,
        "yTrue": y_true.tolist(),
        "yPred": y_pred.tolist(),
        "groups": groups.tolist(),
        "byGroup": {str(g): by_group.loc[g].to_dict() for g in by_group.index},
        "demographicParityDifference": flm.demographic_parity_difference(**kwargs),
        "demographicParityRatio": flm.demographic_parity_ratio(**kwargs),
        "equalOpportunityDifference": flm.equal_opportunity_difference(**kwargs),
        "equalizedOddsDifference": flm.equalized_odds_difference(**kwargs),
        "predictiveParityDifference": by_group["positivePredictiveValue"].max()
        - by_group["positivePredictiveValue"].min(),
    }


def biased(n, groups, rates, base=0.4, noise=0.2):
    g = rng.choice(groups, n)
    y = (rng.random(n) < base).astype(int)
    shift = np.array([rates[list(groups).index(v)] for v in g])
    p = np.where(rng.random(n) < noise, 1 - y, y)
    p = np.where(rng.random(n) < shift, 1, p)
    return y, p, g


cases = []
y, p, g = biased(600, ["a", "b", "c"], [0.0, 0.15, 0.3])
cases.append(case("three_groups", y, p, g))
y, p, g = biased(400, [1, 2], [0.0, 0.05], base=0.2)
cases.append(case("numeric_groups", y, p, g))
# A group that is never selected: ratio 0, four-fifths rule violated.
y = rng.integers(0, 2, 200)
g = np.array(["x"] * 100 + ["y"] * 100)
p = np.where(g == "x", 0, rng.integers(0, 2, 200))
cases.append(case("group_never_selected", y, p, g))
# Small group: compared with fairlearn on the large groups only (the small one is excluded).
y, p, g = biased(500, ["big1", "big2"], [0.0, 0.2])
ys, ps, gs = rng.integers(0, 2, 12), rng.integers(0, 2, 12), np.array(["tiny"] * 12)
small = case("large_groups_only", y, p, g)
small["yTrue"] += ys.tolist()
small["yPred"] += ps.tolist()
small["groups"] += gs.tolist()
cases.append(small)

fixture = {
    "generator": f"scripts/golden/fairness.py; fairlearn {fairlearn.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "cases": clean(cases),
}
write_fixture("fairness", fixture)
