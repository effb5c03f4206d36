"""The Python client's work to turn a pandas DataFrame of predictions into request bodies:
`log_batch`'s columnar JSON path (every value a Python object) against its Arrow IPC path.

  .venv/python-<hash>/bin/python bench/python_tables.py [--rows 200000]

The DataFrame has an id, a timestamp, a prediction, a score, 16 float features and 5 categorical
ones (seed 42). Each run reads the table, maps its columns and builds every body of 20,000 rows,
as `log_batch` does before sending, with no HTTP; CPU time of the process, alternated
json, arrow, arrow, json, json, arrow.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python" / "src"))

from vigil._arrow import ArrowBatch, arrow_source, prediction_table  # noqa: E402
from vigil._tables import ColumnMapping, read_table, resolve  # noqa: E402
from vigil._values import now_ms  # noqa: E402
from vigil.model import ColumnBatch  # noqa: E402

CHUNK = 20_000


def frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    columns = {"id": [f"r{i}" for i in range(n)], "prediction": rng.integers(0, 2, n), "score": rng.random(n)}
    for i in range(16):
        columns[f"f{i}"] = rng.random(n) * 10 ** (i % 4)
    for i in range(5):
        columns[f"cat{i}"] = pd.Categorical(rng.integers(0, 3 + 5 * i, n).astype(str))
    columns["timestamp"] = "2026-11-01T00:00:00Z"
    return pd.DataFrame(columns)


def as_json(df: pd.DataFrame) -> int:
    table = read_table(df)
    roles = resolve(ColumnMapping(), table, need_prediction=True)
    fields = {"id": [str(v) for v in table.column(roles["id"], "id")]}
    for role in ("timestamp", "prediction", "score"):
        fields[role] = table.column(roles[role], role)
    features = {f: table.column(f, "features") for f in roles["features"]}
    batch = ColumnBatch(len(df), fields, {"features": features, "segments": {}, "scores": {}})
    return sum(len(batch.body(s, min(len(df), s + CHUNK))) for s in range(0, len(df), CHUNK))


def as_arrow(df: pd.DataFrame) -> int:
    roles = resolve(ColumnMapping(), read_table(df), need_prediction=True)
    table, _ids = prediction_table(arrow_source(df), roles, now_ms())
    batch = ArrowBatch(table)
    return sum(len(batch.body(s, min(len(df), s + CHUNK))) for s in range(0, len(df), CHUNK))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    n = parser.parse_args().rows
    df = frame(n)
    for name in ("json", "arrow", "arrow", "json", "json", "arrow"):
        build = as_json if name == "json" else as_arrow
        start = time.process_time()
        size = build(df)
        cpu = time.process_time() - start
        print(f"{name:5}  CPU {cpu:5.2f} s  {cpu / n * 1e6:6.2f} us per row  {size / 2**20:6.1f} MiB of bodies")


if __name__ == "__main__":
    main()
