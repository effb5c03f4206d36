"""Tables: log_batch, log_labels and upload_reference from DataFrames, lists of dicts and files."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

import vigil

pd = pytest.importorskip("pandas")


def frame(n: int = 50) -> Any:
    return pd.DataFrame(
        {
            "tx": [f"tx-{i}" for i in range(n)],
            "at": pd.date_range("2026-11-30", periods=n, freq="min"),
            "y_hat": [i % 2 for i in range(n)],
            "p": [0.1 + (i % 9) / 10 for i in range(n)],
            "amount": [float("nan") if i == 3 else i * 2.5 for i in range(n)],
            "country": pd.Categorical(["FR" if i % 3 else "DE" for i in range(n)]),
            "region": ["eu"] * n,
            "unused": ["x"] * n,
        }
    )


def test_log_batch_from_a_dataframe_with_the_mapping_given_once(
    client: vigil.Client, model_name: str
) -> None:
    model = client.model(
        model_name,
        id="tx",
        timestamp="at",
        prediction="y_hat",
        score="p",
        features=["amount", "country"],
        segments=["region"],
    )
    result = model.log_batch(frame())
    assert result.accepted == 50
    assert result.ids[:2] == ["tx-0", "tx-1"]
    stored = model.prediction("tx-3")
    assert stored.timestamp == "2026-11-30T00:03:00.000Z"
    assert stored.features == {"country": "DE"}  # NaN is a missing value
    assert (stored.prediction, stored.score, stored.segments) == (1, 0.4, {"region": "eu"})

    labels = pd.DataFrame({"tx": ["tx-3", "tx-4"], "truth": [0, 1]})
    assert model.log_labels(labels, label="truth").accepted == 2
    read = model.predictions(limit=None).to_pandas()
    assert len(read) == 50
    assert {
        "id",
        "timestamp",
        "prediction",
        "score",
        "label",
        "features.amount",
        "features.country",
        "segments.region",
    } <= set(read.columns)
    assert read.set_index("id").loc["tx-3", "label"] == 0


def test_log_batch_generates_ids_and_names_a_missing_column(client: vigil.Client, model_name: str) -> None:
    model = client.model(model_name)
    result = model.log_batch([{"prediction": 1, "x": 1}, {"prediction": 0, "x": 2}])
    assert result.accepted == 2
    assert len(set(result.ids)) == 2
    assert model.prediction(result.ids[1]).features == {"x": 2}
    missing = "prediction: no column 'yhat'; the columns are 'prediction', 'x'"
    with pytest.raises(vigil.ColumnNotFoundError, match=missing):
        model.log_batch([{"prediction": 1, "x": 1}], prediction="yhat")
    with pytest.raises(vigil.ColumnNotFoundError, match="no column 'prediction'"):
        model.log_batch(pd.DataFrame({"x": [1]}))


def test_log_batch_raises_with_the_rejected_rows_after_storing_the_others(
    client: vigil.Client, model_name: str
) -> None:
    model = client.model(model_name)
    rows = [{"id": f"r{i}", "prediction": 1, "timestamp": "2026-12-01T00:00:00Z"} for i in range(5)]
    rows[2]["timestamp"] = "not a time"
    with pytest.raises(vigil.ValidationError) as caught:
        model.log_batch(rows)
    assert caught.value.accepted == 4
    assert [(r.index, r.id) for r in caught.value.rejected] == [(2, "r2")]
    assert "row 2 (id r2): timestamp: cannot parse" in str(caught.value)
    result = model.log_batch(rows, raise_on_rejected=False)  # the stored rows are not stored twice
    assert (result.accepted, len(result.rejected)) == (4, 1)
    assert len(model.predictions()) == 4


def test_upload_reference_from_a_dataframe_a_list_and_files(
    client: vigil.Client, model_name: str, tmp_path: Path
) -> None:
    model = client.model(
        model_name, prediction="y_hat", score="p", features=["amount", "country"], segments=["region"]
    )
    result = model.upload_reference(frame(), dataset="train")
    assert result.accepted == 50
    assert result.inferred is not None
    assert result.inferred["features"] == ["amount", "country"]
    assert result.inferred["segments"] == ["region"]
    assert (result.inferred["prediction"], result.inferred["score"]) == ("y_hat", "p")
    assert sorted(model.info().features) == ["amount", "country"]
    assert model.upload_reference(frame(), dataset="train").replayed  # safe to re-run

    again = model.upload_reference(
        [{"y_hat": 1, "p": 0.5, "amount": 1.0, "country": "FR", "region": "eu"}], dataset="rows"
    )
    assert again.accepted == 1

    csv = tmp_path / "ref.csv"
    frame().to_csv(csv, index=False)
    plain = client.model(model_name, prediction="y_hat", score="p")  # a new mapping: no features named
    assert plain.upload_reference(csv, dataset="csv").accepted == 50
    packed = tmp_path / "ref.csv.gz"
    packed.write_bytes(gzip.compress(csv.read_bytes()))
    assert plain.upload_reference(packed, dataset="gz").accepted == 50
    replay = plain.upload_reference(packed, dataset="gz")
    assert replay.replayed

    with pytest.raises(ValueError, match="cannot tell the format"):
        plain.upload_reference(tmp_path / "ref.txt")
