"""Evidently's side of `npm run bench:report`, run by bench/report.ts in the bench venv.

  python -P bench/report_evidently.py --reference reference.csv --current current.csv \
      --manifest manifest.json --out report.html --json decisions.json

What a data scientist would write to compare two CSV files with Evidently: read both with pandas,
declare the column types from the data set's manifest (numeric and categorical, as `vigil report`
infers them), run `Report([DataDriftPreset()])` and save its HTML. The whole process is timed from
outside (wall time and peak RSS), reading included, as `vigil report` is. Writes each column's drift
decision as JSON for the comparison.
"""

import argparse
import json
import resource
from pathlib import Path

import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", required=True, type=Path)
    parser.add_argument("--current", required=True, type=Path)
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--json", required=True, type=Path)
    parser.add_argument("--max-memory-gib", type=float, help="address-space limit (MemoryError beyond)")
    args = parser.parse_args()
    if args.max_memory_gib:
        limit = int(args.max_memory_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    manifest = json.loads(args.manifest.read_text())
    numeric = [c["name"] for c in manifest["columns"] if c["kind"] == "numeric"]
    categorical = [c["name"] for c in manifest["columns"] if c["kind"] == "categorical"]
    # Categorical columns read as text, as their values are labels.
    dtypes = {name: "string" for name in categorical}
    reference = pd.read_csv(args.reference, dtype=dtypes)
    current = pd.read_csv(args.current, dtype=dtypes)

    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    snapshot = Report([DataDriftPreset()]).run(
        Dataset.from_pandas(current, data_definition=definition),
        Dataset.from_pandas(reference, data_definition=definition),
    )
    snapshot.save_html(str(args.out))

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
    import evidently

    args.json.write_text(json.dumps({"versions": {"evidently": evidently.__version__}, "columns": columns}))


if __name__ == "__main__":
    main()
