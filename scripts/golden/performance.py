"""Golden values for packages/stats/src/performance (scikit-learn and NannyML as references).

Run: scripts/golden/.venv/bin/python -P scripts/golden/performance.py  (-P: scripts/golden/ must not shadow stdlib modules)
Writes packages/stats/fixtures/golden/performance.json.
"""

import sys
import warnings
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # for _common; appended, so it hides no standard module

import nannyml
import numpy as np
import pandas as pd
import sklearn
from nannyml.sampling_error import binary_classification as nm_bin
from nannyml.sampling_error import regression as nm_reg
from _common import clean, write_fixture
from sklearn import metrics as skm

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20240601)


def specificity(y_true, y_pred, labels, average, pos_label=1, zero_division=0.0):
    """tn / (tn + fp) per class over all samples, averaged like recall (weighted by true support)."""
    selected = [pos_label] if average == "binary" else list(labels)
    every = sorted(set(y_true) | set(y_pred) | set(selected))
    cm = skm.confusion_matrix(y_true, y_pred, labels=every).astype(float)
    total = cm.sum()
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    tn = total - tp - fp - fn
    support = tp + fn
    idx = [every.index(label) for label in selected]
    tn, fp, support = tn[idx], fp[idx], support[idx]
    if average == "micro":
        tn, fp, support = np.array([tn.sum()]), np.array([fp.sum()]), np.array([support.sum()])
    denom = tn + fp
    scores = np.where(denom == 0, zero_division, tn / np.where(denom == 0, 1, denom))
    mask = ~np.isnan(scores)
    if not mask.any():
        return np.nan
    if average == "weighted" and support[mask].sum() > 0:
        return np.average(scores[mask], weights=support[mask])
    return scores[mask].mean()


def classification_case(name, y_true, y_pred, pos_label=1, metric_labels=None, betas=(1.0,)):
    y_true = list(y_true)
    y_pred = list(y_pred)
    union = sorted(set(y_true) | set(y_pred))
    binary = len(union) <= 2
    cm = skm.confusion_matrix(y_true, y_pred, labels=union)
    out = {
        "name": name,
        "yTrue": y_true,
        "yPred": y_pred,
        "labels": union,
        "confusion": cm.ravel().tolist(),
        "accuracy": skm.accuracy_score(y_true, y_pred),
        "balancedAccuracy": skm.balanced_accuracy_score(y_true, y_pred),
        "balancedAccuracyAdjusted": skm.balanced_accuracy_score(y_true, y_pred, adjusted=True),
        "posLabel": pos_label,
        "metricLabels": metric_labels,
        "scores": [],
    }
    averages = (["binary"] if binary else []) + ["micro", "macro", "weighted"]
    for average in averages:
        for zero_division in (0.0, 1.0, np.nan):
            for beta in betas:
                kwargs = dict(average=average, zero_division=zero_division, pos_label=pos_label)
                if average != "binary" and metric_labels is not None:
                    kwargs["labels"] = metric_labels
                if average != "binary":
                    kwargs["pos_label"] = 1 if not isinstance(pos_label, str) else None
                p, r, f, _ = skm.precision_recall_fscore_support(y_true, y_pred, beta=beta, **kwargs)
                spec_labels = metric_labels if (average != "binary" and metric_labels is not None) else union
                s = specificity(y_true, y_pred, spec_labels, average, pos_label, zero_division)
                out["scores"].append(
                    {
                        "average": average,
                        "zeroDivision": "nan" if np.isnan(zero_division) else zero_division,
                        "beta": beta,
                        "precision": p,
                        "recall": r,
                        "fScore": f,
                        "specificity": s,
                    }
                )
    return out


def classification_cases():
    cases = []
    n = 240
    y = rng.integers(0, 2, n)
    flip = rng.random(n) < 0.25
    cases.append(classification_case("binary_random", y, np.where(flip, 1 - y, y), betas=(1.0, 0.5, 2.0)))
    y = rng.choice(["no", "yes"], n, p=[0.7, 0.3])
    yp = np.where(rng.random(n) < 0.3, rng.choice(["no", "yes"], n), y)
    cases.append(classification_case("binary_strings", y, yp, pos_label="yes"))
    y = rng.choice([0, 1, 2, 3], 300, p=[0.4, 0.3, 0.2, 0.1])
    yp = np.where(rng.random(300) < 0.4, rng.choice([0, 1, 2, 3], 300), y)
    cases.append(classification_case("multiclass_random", y, yp, betas=(1.0, 2.0)))
    cases.append(classification_case("multiclass_label_subset", y, yp, metric_labels=[0, 2, 5]))
    # Class 3 is predicted but never true: recall of 3 is undefined, balanced accuracy skips it.
    y = rng.choice([0, 1, 2], 90)
    yp = np.where(rng.random(90) < 0.3, 3, y)
    cases.append(classification_case("multiclass_predicted_only", y, yp))
    # Class "c" is true but never predicted: its precision is undefined.
    y = rng.choice(["a", "b", "c"], 90)
    yp = np.where(y == "c", "a", y)
    cases.append(classification_case("multiclass_never_predicted", y, yp))
    cases.append(classification_case("single_class_negative", [0] * 20, [0] * 20))
    cases.append(classification_case("single_class_positive_truth", [1] * 20, [1] * 15 + [0] * 5))
    cases.append(classification_case("all_wrong", [0, 0, 1, 1], [1, 1, 0, 0]))
    return cases


def ranking_cases():
    cases = []

    def binary(name, y, s, pos_label=None):
        y = list(y)
        s = np.asarray(s, dtype=float)
        present = sorted(set(y))
        pos = pos_label if pos_label is not None else (1 if set(present) <= {-1, 0, 1} else present[-1])
        yb = [1 if v == pos else 0 for v in y]
        auc = skm.roc_auc_score(y, s) if len(present) == 2 else np.nan
        ap = skm.average_precision_score(yb, s)
        cases.append({"name": name, "yTrue": y, "scores": s.tolist(), "posLabel": pos, "rocAuc": auc, "averagePrecision": ap})

    n = 500
    y = rng.integers(0, 2, n)
    s = 1 / (1 + np.exp(-(rng.normal(size=n) + 1.2 * y)))
    binary("continuous", y, s)
    binary("ties_one_decimal", y, np.round(s, 1))
    binary("all_scores_equal", y, np.full(n, 0.3))
    binary("single_class_negative", np.zeros(30, dtype=int), rng.random(30))
    binary("single_class_positive", np.ones(30, dtype=int), rng.random(30))
    ys = rng.choice(["a", "b"], 200)
    binary("string_labels", ys, np.round(rng.random(200) * 0.6 + (ys == "b") * 0.3, 2))
    binary("perfect", [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    binary("inverted", [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])
    binary("minus_one_labels", [-1, 1, -1, 1, 1], [0.2, 0.4, 0.4, 0.9, 0.1])
    return cases


def multiclass_ranking_cases():
    cases = []

    def case(name, y, proba, labels):
        y = list(y)
        present = sorted(set(y))
        entry = {"name": name, "yTrue": y, "labels": labels, "values": proba.ravel().tolist()}
        for average in ("macro", "weighted"):
            entry[f"rocAuc_{average}"] = skm.roc_auc_score(y, proba, multi_class="ovr", average=average, labels=labels)
            if present == sorted(labels):
                entry[f"averagePrecision_{average}"] = skm.average_precision_score(y, proba, average=average)
        cases.append(entry)

    n = 400
    y = rng.choice([0, 1, 2, 3], n, p=[0.4, 0.3, 0.2, 0.1])
    logits = rng.normal(size=(n, 4))
    logits[np.arange(n), y] += 1.0
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    case("four_classes", y, proba, [0, 1, 2, 3])
    # Rounded probabilities create many ties; renormalise so rows still sum to one.
    rounded = np.round(proba, 1) + 1e-3
    rounded = rounded / rounded.sum(axis=1, keepdims=True)
    case("four_classes_ties", y, rounded, [0, 1, 2, 3])
    ys = rng.choice(["cat", "dog", "eel"], 150)
    p3 = rng.dirichlet([1, 1, 1], 150)
    case("strings", ys, p3, ["cat", "dog", "eel"])
    y_missing = rng.choice([0, 1, 3], 120)
    p4 = rng.dirichlet([1, 1, 1, 1], 120)
    case("class_absent_from_truth", y_missing, p4, [0, 1, 2, 3])
    return cases


def probabilistic_cases():
    cases = []
    n = 300
    y = rng.integers(0, 2, n)
    p = np.clip(rng.beta(2, 2, n) * 0.8 + 0.2 * y, 0, 1)
    p[:4] = [0.0, 1.0, 0.0, 1.0]  # exact 0 and 1 exercise the clipping
    y[:4] = [1, 0, 0, 1]
    p[4:8] = [0.1, 0.2, 0.3, 0.7]  # values on bin edges

    def ece_binary(y, p, bins):
        idx = np.minimum(np.floor(p * bins).astype(int), bins - 1)
        total = 0.0
        for b in range(bins):
            m = idx == b
            if m.any():
                total += m.sum() / len(p) * abs(np.mean(y[m]) - np.mean(p[m]))
        return total

    cases.append(
        {
            "name": "binary",
            "yTrue": y.tolist(),
            "probabilities": p.tolist(),
            "logLoss": skm.log_loss(y, p, labels=[0, 1]),
            "brier": skm.brier_score_loss(y, p),
            "ece10": ece_binary(y, p, 10),
            "ece15": ece_binary(y, p, 15),
        }
    )
    k = 3
    y3 = rng.choice(["x", "y", "z"], n)
    proba = rng.dirichlet([2, 1, 1], n)
    proba[0] = [1.0, 0.0, 0.0]
    y3[0] = "y"  # probability 0 on the true class: clipped, not infinite
    codes = np.searchsorted(["x", "y", "z"], y3)
    top = proba.argmax(axis=1)
    conf = proba.max(axis=1)

    def ece_top(bins):
        idx = np.minimum(np.floor(conf * bins).astype(int), bins - 1)
        correct = (top == codes).astype(float)
        total = 0.0
        for b in range(bins):
            m = idx == b
            if m.any():
                total += m.sum() / n * abs(correct[m].mean() - conf[m].mean())
        return total

    cases.append(
        {
            "name": "multiclass",
            "yTrue": y3.tolist(),
            "labels": ["x", "y", "z"],
            "values": proba.ravel().tolist(),
            "logLoss": skm.log_loss(y3, proba, labels=["x", "y", "z"]),
            "brier": skm.brier_score_loss(y3, proba, labels=["x", "y", "z"]),
            "ece10": ece_top(10),
        }
    )
    y2 = rng.integers(0, 2, 50)
    p2 = rng.random(50)
    m2 = np.column_stack([1 - p2, p2])
    cases.append(
        {
            "name": "two_column_matrix",
            "yTrue": y2.tolist(),
            "labels": [0, 1],
            "values": m2.ravel().tolist(),
            "logLoss": skm.log_loss(y2, m2),
            "brier": skm.brier_score_loss(y2, m2, labels=[0, 1]),
        }
    )
    assert k == 3
    return cases


def regression_cases():
    cases = []

    def case(name, t, p):
        t = np.asarray(t, dtype=float)
        p = np.asarray(p, dtype=float)
        cases.append(
            {
                "name": name,
                "yTrue": t.tolist(),
                "yPred": p.tolist(),
                "mae": skm.mean_absolute_error(t, p),
                "mse": skm.mean_squared_error(t, p),
                "rmse": skm.root_mean_squared_error(t, p),
                "mape": skm.mean_absolute_percentage_error(t, p),
                "medianAe": skm.median_absolute_error(t, p),
                "maxError": skm.max_error(t, p),
                "r2": skm.r2_score(t, p),
                "meanError": float(np.mean(p - t)),
            }
        )

    t = rng.normal(10, 3, 401)
    case("odd_length", t, t + rng.normal(0.5, 1, 401))
    t = rng.normal(0, 1, 200)
    case("even_length", t, 0.8 * t + rng.normal(0, 0.5, 200))
    case("zeros_in_truth", [0.0, 1.0, 2.0, 0.0, -3.0], [0.5, 1.0, 1.5, 0.0, -2.0])
    case("constant_truth_exact", [2.0] * 6, [2.0] * 6)
    case("constant_truth_off", [2.0] * 6, [2.0, 2.5, 2.0, 1.0, 2.0, 2.0])
    case("large_offset", 1e6 + rng.normal(0, 1, 100), 1e6 + rng.normal(0, 1, 100))
    return cases


def sampling_error_cases():
    n = 2000
    y = rng.integers(0, 2, n)
    s = 1 / (1 + np.exp(-(rng.normal(size=n) * 1.3 + 1.5 * y - 0.5)))
    # NannyML drops a minority row ranked lowest; keep the lowest score on a majority row.
    minority = 1 if y.mean() <= 0.5 else 0
    lowest = np.argmin(s)
    if y[lowest] == minority:
        y[lowest] = 1 - minority
    yp = (s > 0.5).astype(int)
    yt_s, yp_s, s_s = pd.Series(y), pd.Series(yp), pd.Series(s)
    analysis = np.zeros(700)
    out = {"yTrue": y.tolist(), "yPred": yp.tolist(), "scores": s.tolist(), "sampleSize": len(analysis), "metrics": {}}
    for metric, comp, err in [
        ("accuracy", nm_bin.accuracy_sampling_error_components, nm_bin.accuracy_sampling_error),
        ("precision", nm_bin.precision_sampling_error_components, nm_bin.precision_sampling_error),
        ("recall", nm_bin.recall_sampling_error_components, nm_bin.recall_sampling_error),
        ("specificity", nm_bin.specificity_sampling_error_components, nm_bin.specificity_sampling_error),
        ("f1", nm_bin.f1_sampling_error_components, nm_bin.f1_sampling_error),
    ]:
        components = comp(yt_s, yp_s)
        out["metrics"][metric] = err(components, analysis)
    out["metrics"]["auc"] = nm_bin.auroc_sampling_error(nm_bin.auroc_sampling_error_components(yt_s, s_s), analysis)
    # Regression: positive truth so NannyML's MAPE (which divides by y, not |y|) matches.
    t = rng.gamma(4, 2, 1500) + 0.5
    p = t * rng.normal(1, 0.1, 1500) + rng.normal(0, 0.3, 1500)
    out["regression"] = {"yTrue": t.tolist(), "yPred": p.tolist(), "metrics": {}}
    for metric, comp, err in [
        ("mae", nm_reg.mae_sampling_error_components, nm_reg.mae_sampling_error),
        ("mse", nm_reg.mse_sampling_error_components, nm_reg.mse_sampling_error),
        ("rmse", nm_reg.rmse_sampling_error_components, nm_reg.rmse_sampling_error),
        ("mape", nm_reg.mape_sampling_error_components, nm_reg.mape_sampling_error),
    ]:
        out["regression"]["metrics"][metric] = err(comp(pd.Series(t), pd.Series(p)), analysis)
    # Chunked standard error: population std of accuracy over consecutive chunks of 250 rows.
    chunk = 250
    values = [skm.accuracy_score(y[i : i + chunk], yp[i : i + chunk]) for i in range(0, n - chunk + 1, chunk)]
    out["chunked"] = {"chunkSize": chunk, "accuracy": float(np.std(values) * np.sqrt(chunk / len(analysis)))}
    return out


def histogram_cases():
    n = 3000
    y = rng.integers(0, 2, n)
    s = 1 / (1 + np.exp(-(rng.normal(size=n) + y)))
    edges = np.linspace(0, 1, 21)
    bin_index = np.clip(np.digitize(s, edges) - 1, 0, 19)
    pos = np.bincount(bin_index[y == 1], minlength=20)
    neg = np.bincount(bin_index[y == 0], minlength=20)
    return {
        "positiveCounts": pos.tolist(),
        "negativeCounts": neg.tolist(),
        "binnedAuc": skm.roc_auc_score(y, bin_index),
        "exactAuc": skm.roc_auc_score(y, s),
    }


fixture = {
    "generator": (
        f"scripts/golden/performance.py; scikit-learn {sklearn.__version__}, nannyml {nannyml.__version__}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    ),
    "classification": classification_cases(),
    "ranking": ranking_cases(),
    "multiclassRanking": multiclass_ranking_cases(),
    "probabilistic": probabilistic_cases(),
    "regression": regression_cases(),
    "samplingError": sampling_error_cases(),
    "histogramAuc": histogram_cases(),
}
# Infinities as 1e999, which JSON.parse reads back as Infinity (NaN is already null).
write_fixture("performance", clean(fixture), text=lambda s: s.replace("Infinity", "1e999"))
