"""Golden fixtures for packages/stats/src/estimation: isotonic regression (scikit-learn) and CBPE (NannyML);
estimation-cbpe-calibrated.json also checks the server's binned CBPE (packages/server/src/monitors/signals).

Run: scripts/golden/.venv/bin/python -P scripts/golden/estimation.py  (or scripts/golden/generate.sh)
Inputs are rounded to 6 decimals before they reach the reference, and the very same rounded values are
stored in the fixtures, so the TypeScript tests read identical data.
"""

import os
import sys
import warnings
from pathlib import Path

# sibling golden scripts must not shadow standard modules: this folder goes last on the path, for _common
sys.path = [p for p in sys.path if os.path.abspath(p or '.') != os.path.dirname(os.path.abspath(__file__))]
sys.path.append(str(Path(__file__).resolve().parent))

os.environ.setdefault('NML_DISABLE_USAGE_LOGGING', '1')

import nannyml  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from _common import generator, num, write_fixture  # noqa: E402
from sklearn.isotonic import IsotonicRegression  # noqa: E402

warnings.filterwarnings('ignore')

GENERATOR = generator(
    'estimation.py',
    {'nannyml': nannyml.__version__, 'scikit-learn': sklearn.__version__, 'numpy': np.__version__, 'pandas': pd.__version__},
)


def unique_rounded(values, rng):
    """Rounds to 6 decimals and nudges duplicates apart, so that no two scores tie."""
    v = np.round(values, 6)
    seen = set()
    out = np.empty_like(v)
    for i, x in enumerate(v):
        while x in seen:
            x = round(x + (1e-6 if x < 0.5 else -1e-6), 6)
        seen.add(x)
        out[i] = x
    return out


def isotonic_cases():
    rng = np.random.default_rng(7)
    cases = []
    # plain noisy monotone data
    x = np.round(rng.uniform(0, 1, 200), 6)
    y = (rng.uniform(0, 1, 200) < x**2).astype(float)
    cases.append(('binary_targets', x, y, None))
    # heavy ties in x (values on a grid) and continuous y
    x = np.round(rng.integers(0, 20, 300) / 20, 6)
    y = np.round(np.sin(3 * x) + rng.normal(0, 0.3, 300), 6)
    cases.append(('tied_x', x, y, None))
    # weighted
    x = np.round(rng.normal(0, 1, 150), 6)
    y = np.round(x + rng.normal(0, 1, 150), 6)
    w = np.round(rng.uniform(0.1, 3, 150), 6)
    cases.append(('weighted', x, y, w))
    # decreasing data collapses to one block
    x = np.round(np.linspace(0, 1, 50), 6)
    y = np.round(1 - x + rng.normal(0, 0.01, 50), 6)
    cases.append(('decreasing', x, y, None))
    out = []
    for name, x, y, w in cases:
        reg = IsotonicRegression(out_of_bounds='clip', increasing=True)
        reg.fit(x, y, sample_weight=w)
        query = np.round(np.concatenate([rng.uniform(x.min() - 0.5, x.max() + 0.5, 100), x[:20]]), 6)
        out.append(
            {
                'name': name,
                'x': x.tolist(),
                'y': y.tolist(),
                'weights': None if w is None else w.tolist(),
                'query': query.tolist(),
                'predicted': reg.predict(query).tolist(),
                'xThresholds': reg.X_thresholds_.tolist(),
                'yThresholds': reg.y_thresholds_.tolist(),
            }
        )
    return out


def binary_dataset():
    """A logistic model whose scores are over-confident; the second half of the analysis data is shifted."""
    rng = np.random.default_rng(20240601)
    n_ref, n_ana = 10_000, 10_000

    def sample(n, shift):
        x = rng.normal(shift, 1.0, n)
        p_true = 1 / (1 + np.exp(-(1.2 * x - 0.3)))
        y = (rng.uniform(0, 1, n) < p_true).astype(int)
        # the model is sharper than the truth: mis-calibrated scores
        score = 1 / (1 + np.exp(-(2.5 * x - 0.3)))
        return score, y

    ref_score, ref_y = sample(n_ref, 0.0)
    a1, y1 = sample(n_ana // 2, 0.0)
    a2, y2 = sample(n_ana // 2, 0.9)
    ana_score = np.concatenate([a1, a2])
    ana_y = np.concatenate([y1, y2])
    all_scores = unique_rounded(np.concatenate([ref_score, ana_score]), rng)
    ref_score, ana_score = all_scores[:n_ref], all_scores[n_ref:]
    return ref_score, ref_y, ana_score, ana_y


BINARY_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy', 'confusion_matrix']


def run_cbpe_binary():
    ref_score, ref_y, ana_score, ana_y = binary_dataset()
    threshold = 0.5
    ref = pd.DataFrame({'y_pred_proba': ref_score, 'y_pred': (ref_score >= threshold).astype(int), 'y_true': ref_y})
    ana = pd.DataFrame({'y_pred_proba': ana_score, 'y_pred': (ana_score >= threshold).astype(int)})
    est = nannyml.CBPE(
        problem_type='classification_binary',
        y_pred_proba='y_pred_proba',
        y_pred='y_pred',
        y_true='y_true',
        metrics=BINARY_METRICS,
        chunk_size=1000,
    )
    est.fit(ref)
    res = est.estimate(ana).filter(period='analysis').to_df()
    names = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy',
             'true_positive', 'true_negative', 'false_positive', 'false_negative']
    chunks = []
    for _, row in res.iterrows():
        rec = {'start': int(row[('chunk', 'start_index')]), 'end': int(row[('chunk', 'end_index')]) + 1}
        for m in names:
            rec[m] = {
                'value': num(row[(m, 'value')]),
                'samplingError': num(row[(m, 'sampling_error')]),
                'upperConfidence': num(row[(m, 'upper_confidence_boundary')]),
                'lowerConfidence': num(row[(m, 'lower_confidence_boundary')]),
                'upperThreshold': num(row[(m, 'upper_threshold')]),
                'lowerThreshold': num(row[(m, 'lower_threshold')]),
                'alert': bool(row[(m, 'alert')]),
            }
        chunks.append(rec)
    calibrated_ref = est.calibrator.calibrate(ref_score) if est.needs_calibration else ref_score
    return {
        'generator': GENERATOR,
        'chunkSize': 1000,
        'reference': {
            'scores': ref_score.tolist(),
            'labels': ref_y.tolist(),
            'predictions': ref['y_pred'].tolist(),
        },
        'analysis': {'scores': ana_score.tolist(), 'predictions': ana['y_pred'].tolist()},
        'needsCalibration': bool(est.needs_calibration),
        'calibratedReferenceHead': np.asarray(calibrated_ref[:200]).tolist(),
        'chunks': chunks,
    }


def calibrated_binary_dataset():
    """A binary classifier whose scores are its true probabilities (calibrated); the second half of
    the analysis data is shifted, so its performance changes while its scores stay calibrated."""
    rng = np.random.default_rng(20261202)
    n_ref, n_ana = 20_000, 10_000

    def sample(n, shift):
        x = rng.normal(shift, 1.0, n)
        score = 1 / (1 + np.exp(-(1.6 * x - 0.4)))
        y = (rng.uniform(0, 1, n) < score).astype(int)
        return score, y

    ref_score, ref_y = sample(n_ref, 0.0)
    a1, _ = sample(n_ana // 2, 0.0)
    a2, _ = sample(n_ana // 2, 0.8)
    all_scores = unique_rounded(np.concatenate([ref_score, a1, a2]), rng)
    return all_scores[:n_ref], ref_y, all_scores[n_ref:]


CALIBRATED_METRICS = ['accuracy', 'precision', 'recall', 'f1']


def run_cbpe_calibrated():
    """NannyML's CBPE where it finds no calibration is needed: the case binned CBPE should match."""
    ref_score, ref_y, ana_score = calibrated_binary_dataset()
    threshold = 0.5
    ref = pd.DataFrame({'y_pred_proba': ref_score, 'y_pred': (ref_score >= threshold).astype(int), 'y_true': ref_y})
    ana = pd.DataFrame({'y_pred_proba': ana_score, 'y_pred': (ana_score >= threshold).astype(int)})
    est = nannyml.CBPE(
        problem_type='classification_binary',
        y_pred_proba='y_pred_proba',
        y_pred='y_pred',
        y_true='y_true',
        metrics=CALIBRATED_METRICS,
        chunk_size=1000,
    )
    est.fit(ref)
    res = est.estimate(ana).filter(period='analysis').to_df()
    chunks = []
    for _, row in res.iterrows():
        rec = {'start': int(row[('chunk', 'start_index')]), 'end': int(row[('chunk', 'end_index')]) + 1}
        for m in CALIBRATED_METRICS:
            rec[m] = num(row[(m, 'value')])
        chunks.append(rec)
    return {
        'generator': GENERATOR,
        'chunkSize': 1000,
        'threshold': threshold,
        'reference': {'scores': ref_score.tolist(), 'labels': ref_y.tolist()},
        'analysis': {'scores': ana_score.tolist()},
        'needsCalibration': bool(est.needs_calibration),
        'chunks': chunks,
    }


def multiclass_dataset():
    rng = np.random.default_rng(99)
    classes = ['bird', 'cat', 'dog']
    centers = np.array([[0.0, 0.0], [1.5, 0.5], [0.5, 1.8]])

    def sample(n, shift):
        y = rng.integers(0, 3, n)
        x = centers[y] + rng.normal(0, 1.0, (n, 2)) + shift
        logits = 2.2 * (x @ centers.T - 0.5 * (centers**2).sum(axis=1))
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return p, y

    p_ref, y_ref = sample(6000, 0.0)
    p1, y1 = sample(3000, 0.0)
    p2, y2 = sample(3000, np.array([0.6, -0.4]))
    p_ana = np.vstack([p1, p2])
    y_ana = np.concatenate([y1, y2])
    p_all = np.vstack([p_ref, p_ana])
    # the first two columns are made tie-free; the last one keeps each row summing to 1
    for k in range(2):
        p_all[:, k] = unique_rounded(p_all[:, k], rng)
    rest = np.round(1 - p_all[:, 0] - p_all[:, 1], 6)
    over = rest < 0
    p_all[over, 1] = np.round(p_all[over, 1] + rest[over], 6)
    p_all[:, 2] = np.round(np.maximum(rest, 0), 6)
    return classes, p_all[:6000], y_ref, p_all[6000:], y_ana


MULTICLASS_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy']


def run_cbpe_multiclass():
    classes, p_ref, y_ref, p_ana, _ = multiclass_dataset()
    cols = {c: f'p_{c}' for c in classes}

    def frame(p, y=None):
        df = pd.DataFrame({cols[c]: p[:, k] for k, c in enumerate(classes)})
        df['y_pred'] = np.asarray(classes)[p.argmax(axis=1)]
        if y is not None:
            df['y_true'] = np.asarray(classes)[y]
        return df

    ref, ana = frame(p_ref, y_ref), frame(p_ana)
    est = nannyml.CBPE(
        problem_type='classification_multiclass',
        y_pred_proba=cols,
        y_pred='y_pred',
        y_true='y_true',
        metrics=MULTICLASS_METRICS,
        chunk_size=1000,
    )
    est.fit(ref)
    res = est.estimate(ana).filter(period='analysis').to_df()
    chunks = []
    for _, row in res.iterrows():
        rec = {'start': int(row[('chunk', 'start_index')]), 'end': int(row[('chunk', 'end_index')]) + 1}
        for m in MULTICLASS_METRICS:
            rec[m] = {
                'value': num(row[(m, 'value')]),
                'samplingError': num(row[(m, 'sampling_error')]),
                'upperThreshold': num(row[(m, 'upper_threshold')]),
                'lowerThreshold': num(row[(m, 'lower_threshold')]),
                'alert': bool(row[(m, 'alert')]),
            }
        chunks.append(rec)
    index = {c: k for k, c in enumerate(classes)}
    return {
        'generator': GENERATOR,
        'chunkSize': 1000,
        'classes': classes,
        'reference': {
            'scores': [p_ref[:, k].tolist() for k in range(3)],
            'labels': [index[c] for c in ref['y_true']],
            'predictions': [index[c] for c in ref['y_pred']],
        },
        'analysis': {
            'scores': [p_ana[:, k].tolist() for k in range(3)],
            'predictions': [index[c] for c in ana['y_pred']],
        },
        'needsCalibration': {c: not isinstance(est._calibrators[c], nannyml.calibration.NoopCalibrator) for c in classes},
        'chunks': chunks,
    }


if __name__ == '__main__':
    write_fixture('estimation-isotonic', {'generator': GENERATOR, 'cases': isotonic_cases()})
    write_fixture('estimation-cbpe-binary', run_cbpe_binary())
    write_fixture('estimation-cbpe-multiclass', run_cbpe_multiclass())
    write_fixture('estimation-cbpe-calibrated', run_cbpe_calibrated())
