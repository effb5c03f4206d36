"""Golden fixtures for packages/stats/src/detectors.

Runs river's drift detectors (PageHinkley, ADWIN, DDM, EDDM) on seeded streams and records the
indices where each one fires, plus numpy reference implementations of the tabular CUSUM, the
EWMA control chart and the robust seasonal z-score. Inputs are rounded to 6 decimals so the
fixture stores them exactly and the TypeScript tests replay the very same values.

Run: scripts/golden/.venv/bin/python -P scripts/golden/detectors.py
"""

import json
import math
from pathlib import Path

import numpy as np
import river
from river import drift
from river.drift import binary

OUT = Path(__file__).resolve().parents[2] / 'packages/stats/fixtures/golden/detectors.json'


def rounded(values):
    return [float(v) for v in np.round(np.asarray(values, dtype=float), 6)]


def make_streams():
    rng = np.random.default_rng(20240611)
    n = 2000
    ramp = np.clip((np.arange(n) - 800) / 600, 0, 1)
    steps = np.repeat([0.0, 1.5, -1.0, 0.5], 750)
    return {
        'abrupt': rounded(np.concatenate([rng.normal(0, 1, 1000), rng.normal(2, 1, 1000)])),
        'gradual': rounded(rng.normal(0, 1, n) + 3 * ramp),
        'multi': rounded(rng.normal(0, 1, steps.size) + steps),
        'variance': rounded(np.concatenate([rng.normal(5, 0.5, 1000), rng.normal(5, 3, 1000)])),
        'stable': rounded(rng.normal(10, 2, n)),
        'seasonal': rounded(
            20 + 5 * np.sin(2 * np.pi * np.arange(1200) / 24) + rng.standard_t(4, 1200)
            + np.where(np.isin(np.arange(1200), [300, 301, 650, 900]), 15, 0)
        ),
    }


def make_binary_streams():
    rng = np.random.default_rng(777)
    n = 3000
    gradual_p = 0.1 + 0.3 * np.clip((np.arange(n) - 1200) / 800, 0, 1)
    return {
        'bin_abrupt': [int(v) for v in np.concatenate([rng.random(1500) < 0.1, rng.random(1500) < 0.35])],
        'bin_gradual': [int(v) for v in rng.random(n) < gradual_p],
        'bin_stable': [int(v) for v in rng.random(n) < 0.2],
        'bin_sparse': [int(v) for v in np.concatenate([rng.random(1500) < 0.03, rng.random(1500) < 0.12])],
    }


def run_river(detector, stream, extra=None):
    drifts, warnings, trace = [], [], []
    for i, x in enumerate(stream):
        detector.update(x)
        if detector.drift_detected:
            drifts.append(i)
        if getattr(detector, 'warning_detected', False):
            warnings.append(i)
        if extra is not None and (i % 41 == 0 or detector.drift_detected):
            trace.append([i, *extra(detector)])
    out = {'drifts': drifts}
    if hasattr(detector, 'warning_detected'):
        out['warnings'] = warnings
    if extra is not None:
        out['trace'] = trace
    return out


def adwin_stats(d):
    return [d.width, d.total, d.variance, d.estimation, d.n_detections]


def sampled(*series):
    """Every 41st step of some per-step statistics, as [index, *values]; NaN / inf become null."""
    def clean(v):
        return v if math.isfinite(v) else None

    return [[i, *(clean(s[i]) for s in series)] for i in range(0, len(series[0]), 41)]


def cusum_reference(x, k, h, target, sigma, warmup):
    """Two-sided tabular CUSUM on standardised values (Page 1954; Montgomery, SQC ch. 9)."""
    x = np.asarray(x, dtype=float)
    drifts, upper, lower = [], [], []
    mu, sd = target, sigma
    hi = lo = 0.0
    calib = []
    for i, v in enumerate(x):
        if mu is None or sd is None:
            calib.append(v)
            if len(calib) == warmup:
                mu = float(np.mean(calib)) if target is None else target
                sd = float(np.std(calib, ddof=1)) if sigma is None else sigma
            upper.append(0.0)
            lower.append(0.0)
            continue
        z = (v - mu) / sd
        hi = max(0.0, hi + z - k)
        lo = max(0.0, lo - z - k)
        upper.append(hi)
        lower.append(lo)
        if hi > h or lo > h:
            drifts.append(i)
            hi = lo = 0.0
            if target is None or sigma is None:
                mu = target
                sd = sigma
                calib = []
    return {'drifts': drifts, 'trace': sampled(upper, lower)}


def ewma_reference(x, lam, L, target, sigma, warmup):
    """Roberts (1959) EWMA chart with exact time-varying L-sigma limits."""
    x = np.asarray(x, dtype=float)
    drifts, zs, ucl = [], [], []
    mu, sd = target, sigma
    calib = []
    z = None
    t = 0
    for i, v in enumerate(x):
        if mu is None or sd is None:
            calib.append(v)
            if len(calib) == warmup:
                mu = float(np.mean(calib)) if target is None else target
                sd = float(np.std(calib, ddof=1)) if sigma is None else sigma
                z = mu
                t = 0
            zs.append(float('nan'))
            ucl.append(float('nan'))
            continue
        if z is None:
            z = mu
        t += 1
        z = lam * v + (1 - lam) * z
        width = L * sd * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        zs.append(z)
        ucl.append(mu + width)
        if abs(z - mu) > width:
            drifts.append(i)
            z = None
            t = 0
            if target is None or sigma is None:
                mu = target
                sd = sigma
                calib = []
    return {'drifts': drifts, 'trace': sampled(zs, ucl)}


def seasonal_reference(x, period, history, threshold, min_history):
    """Robust z-score against the trailing values of the same season slot (median / 1.4826 MAD)."""
    slots = [[] for _ in range(period)]
    drifts, scores = [], []
    for i, v in enumerate(x):
        past = slots[i % period]
        score = 0.0
        if len(past) >= min_history:
            arr = np.asarray(past)
            med = float(np.median(arr))
            mad = float(np.median(np.abs(arr - med)))
            if mad > 0:
                score = (v - med) / (1.4826 * mad)
            elif v != med:
                score = math.copysign(math.inf, v - med)
        scores.append(score)
        if abs(score) > threshold:
            drifts.append(i)
        past.append(v)
        if len(past) > history:
            past.pop(0)
    return {'drifts': drifts, 'trace': sampled(scores)}


def main():
    streams = make_streams()
    bins = make_binary_streams()
    real_names = ['abrupt', 'gradual', 'multi', 'variance', 'stable']
    cases = []

    ph_settings = [
        {},
        {'min_instances': 20, 'delta': 0.01, 'threshold': 20.0, 'alpha': 0.999, 'mode': 'up'},
        {'min_instances': 10, 'delta': 0.05, 'threshold': 15.0, 'alpha': 1.0, 'mode': 'down'},
        {'threshold': 10.0},
    ]
    for params in ph_settings:
        for name in real_names:
            res = run_river(drift.PageHinkley(**params), streams[name])
            cases.append({'detector': 'page_hinkley', 'stream': name, 'params': params, **res})

    adwin_settings = [
        {},
        {'delta': 0.01, 'clock': 1},
        {'delta': 0.1, 'clock': 16, 'max_buckets': 3, 'min_window_length': 10, 'grace_period': 50},
        {'delta': 0.0001, 'clock': 4, 'max_buckets': 7},
    ]
    for params in adwin_settings:
        for name in real_names:
            res = run_river(drift.ADWIN(**params), streams[name], adwin_stats)
            cases.append({'detector': 'adwin', 'stream': name, 'params': params, **res})
        for name in bins:
            res = run_river(drift.ADWIN(**params), bins[name], adwin_stats)
            cases.append({'detector': 'adwin', 'stream': name, 'params': params, **res})

    ddm_settings = [{}, {'warm_start': 50, 'warning_threshold': 1.5, 'drift_threshold': 2.5}]
    eddm_settings = [{}, {'warm_start': 20, 'alpha': 0.9, 'beta': 0.8}]
    for name in bins:
        for params in ddm_settings:
            res = run_river(binary.DDM(**params), bins[name])
            cases.append({'detector': 'ddm', 'stream': name, 'params': params, **res})
        for params in eddm_settings:
            res = run_river(binary.EDDM(**params), bins[name])
            cases.append({'detector': 'eddm', 'stream': name, 'params': params, **res})

    # Fixed targets only where they describe the stream's in-control state (mean 0, sd 1 / mean 10).
    zero_mean = ['abrupt', 'gradual', 'multi']
    cusum_settings = [
        ({'k': 0.5, 'h': 5.0, 'target': None, 'sigma': None, 'warmup': 50}, real_names),
        ({'k': 0.25, 'h': 8.0, 'target': 0.0, 'sigma': 1.0, 'warmup': 50}, zero_mean),
        ({'k': 1.0, 'h': 4.0, 'target': None, 'sigma': 1.0, 'warmup': 30}, zero_mean),
        ({'k': 0.5, 'h': 4.0, 'target': 10.0, 'sigma': None, 'warmup': 40}, ['stable']),
    ]
    ewma_settings = [
        ({'lambda': 0.2, 'L': 3.0, 'target': None, 'sigma': None, 'warmup': 50}, real_names),
        ({'lambda': 0.05, 'L': 2.7, 'target': 0.0, 'sigma': 1.0, 'warmup': 50}, zero_mean),
        ({'lambda': 0.5, 'L': 3.2, 'target': 10.0, 'sigma': None, 'warmup': 40}, ['stable']),
        ({'lambda': 0.1, 'L': 2.5, 'target': None, 'sigma': 2.0, 'warmup': 25}, ['stable', 'variance']),
    ]
    for params, names in cusum_settings:
        for name in names:
            res = cusum_reference(streams[name], params['k'], params['h'], params['target'],
                                  params['sigma'], params['warmup'])
            cases.append({'detector': 'cusum', 'stream': name, 'params': params, **res})
    for params, names in ewma_settings:
        for name in names:
            res = ewma_reference(streams[name], params['lambda'], params['L'], params['target'],
                                 params['sigma'], params['warmup'])
            cases.append({'detector': 'ewma', 'stream': name, 'params': params, **res})
    for params in [
        {'period': 24, 'history': 8, 'threshold': 3.5, 'min_history': 3},
        {'period': 24, 'history': 20, 'threshold': 5.0, 'min_history': 5},
        {'period': 7, 'history': 6, 'threshold': 3.0, 'min_history': 4},
    ]:
        res = seasonal_reference(streams['seasonal'], **params)
        cases.append({'detector': 'seasonal_zscore', 'stream': 'seasonal', 'params': params, **res})

    fixture = {
        'generator': f'scripts/golden/detectors.py (river {river.__version__}, numpy {np.__version__})',
        'streams': {**streams, **bins},
        'cases': cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, separators=(',', ':')))
    print(f'wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB, {len(cases)} cases)')


if __name__ == '__main__':
    main()
