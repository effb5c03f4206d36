"""Python contenders of `npm run bench:drift`, run by bench/drift.ts in the bench venv.

  python -P bench/drift_baselines.py --data .bench/data/drift-v1 --contender evidently|numpy --out result.json

Reads the columns bench/drift.ts wrote (raw little-endian float64 for numeric columns, uint8 codes
plus the manifest's dictionary for categorical ones), then times, after one warm-up:
- evidently: `Report([DataDriftPreset()]).run(current, reference)` on pandas DataFrames with the
  column types declared, default stattests;
- numpy: per column what a data scientist would write with numpy and scipy, following Evidently's
  default choice of method, so the outputs are comparable.
Loading the data is not timed. Writes the timings, peak RSS and per-column results as JSON.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats
from scipy.spatial import distance


def load(data_dir: Path):
    manifest = json.loads((data_dir / "manifest.json").read_text())
    numeric = {}
    for column in manifest["numeric"]:
        name = column["name"]
        numeric[name] = tuple(np.fromfile(data_dir / f"{name}.{w}.f64", dtype="<f8") for w in ("reference", "current"))
    categorical = {}
    for column in manifest["categorical"]:
        name = column["name"]
        labels = np.asarray(column["categories"])
        categorical[name] = tuple(
            labels[np.fromfile(data_dir / f"{name}.{w}.u8", dtype=np.uint8)] for w in ("reference", "current")
        )
    return manifest, numeric, categorical


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- numpy / scipy baseline -------------------------------------------------------------------------

P_VALUE_METHODS = {"ks", "chisquare", "z"}


def aligned_shares(reference: np.ndarray, current: np.ndarray):
    """Shares of each value of the union of both windows, from np.unique counts."""
    ref_values, ref_counts = np.unique(reference, return_counts=True)
    cur_values, cur_counts = np.unique(current, return_counts=True)
    keys = np.union1d(ref_values, cur_values)
    p = np.zeros(keys.size)
    q = np.zeros(keys.size)
    p[np.searchsorted(keys, ref_values)] = ref_counts
    q[np.searchsorted(keys, cur_values)] = cur_counts
    return p, q


def two_proportion_z(p_counts: np.ndarray, q_counts: np.ndarray) -> float:
    n1, n2 = p_counts.sum(), q_counts.sum()
    x1, x2 = p_counts[0], q_counts[0]
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 1.0 if se == 0 else float(2 * stats.norm.sf(abs(x1 / n1 - x2 / n2) / se))


def numpy_column(reference: np.ndarray, current: np.ndarray, kind: str):
    """Evidently's default rule: tests up to 1,000 reference rows, distances above."""
    large = reference.size > 1000
    if kind == "numeric":
        distinct = np.unique(np.concatenate((reference, current))).size
        if distinct > 5:
            if large:
                norm = max(float(np.std(reference)), 0.001)
                return "wasserstein", float(stats.wasserstein_distance(reference, current)) / norm, 0.1
            return "ks", float(stats.ks_2samp(reference, current).pvalue), 0.05
    p, q = aligned_shares(reference, current)
    if large:
        # scipy's default natural logarithm, as Evidently's `jensenshannon`.
        return "jensenshannon", float(distance.jensenshannon(p / p.sum(), q / q.sum())), 0.1
    if p.size > 2:
        expected = q.sum() * p / p.sum()
        return "chisquare", float(stats.chisquare(q, expected).pvalue), 0.05
    return "z", two_proportion_z(p, q), 0.05


def run_numpy(numeric, categorical):
    columns = {}
    for name, (reference, current) in numeric.items():
        columns[name] = numpy_column(reference, current, "numeric")
    for name, (reference, current) in categorical.items():
        columns[name] = numpy_column(reference, current, "categorical")
    return {
        name: {
            "method": method,
            "statistic": value,
            "threshold": threshold,
            "drifted": bool(value < threshold if method in P_VALUE_METHODS else value >= threshold),
        }
        for name, (method, value, threshold) in columns.items()
    }


# --- Evidently ----------------------------------------------------------------------------------------


def evidently_frames(numeric, categorical):
    import pandas as pd

    reference = pd.DataFrame({**{k: v[0] for k, v in numeric.items()}, **{k: v[0] for k, v in categorical.items()}})
    current = pd.DataFrame({**{k: v[1] for k, v in numeric.items()}, **{k: v[1] for k, v in categorical.items()}})
    return reference, current


def run_evidently(numeric, categorical, frames):
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    reference, current = frames
    definition = DataDefinition(numerical_columns=list(numeric), categorical_columns=list(categorical))
    report = Report([DataDriftPreset()])
    snapshot = report.run(
        Dataset.from_pandas(current, data_definition=definition),
        Dataset.from_pandas(reference, data_definition=definition),
    )
    columns = {}
    for metric in snapshot.dict()["metrics"]:
        config = metric["config"]
        if not config["type"].endswith(":ValueDrift"):
            continue
        method, threshold, value = config["method"], float(config["threshold"]), float(metric["value"])
        is_test = "p_value" in method  # e.g. "K-S p_value"; distances are named "... distance"
        columns[config["column"]] = {
            "method": method,
            "statistic": value,
            "threshold": threshold,
            "drifted": bool(value < threshold if is_test else value >= threshold),
        }
    return columns


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--contender", required=True, choices=["evidently", "numpy"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()

    _, numeric, categorical = load(args.data)
    if args.contender == "evidently":
        import evidently

        frames = evidently_frames(numeric, categorical)
        versions = {"evidently": evidently.__version__}

        def once():
            return run_evidently(numeric, categorical, frames)
    else:
        versions = {}

        def once():
            return run_numpy(numeric, categorical)

    import pandas
    import scipy

    versions.update(python=sys.version.split()[0], numpy=np.__version__, scipy=scipy.__version__)
    versions["pandas"] = pandas.__version__
    rss_after_load = peak_rss_mib()
    for _ in range(args.warmup):
        once()
    times = []
    columns = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        columns = once()
        times.append((time.perf_counter() - start) * 1000)
    args.out.write_text(
        json.dumps(
            {
                "contender": args.contender,
                "timesMs": times,
                "rssAfterLoadMiB": rss_after_load,
                "peakRssMiB": peak_rss_mib(),
                "versions": versions,
                "columns": columns,
            }
        )
    )


if __name__ == "__main__":
    main()
