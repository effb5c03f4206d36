"""log_batch of pandas DataFrames and pyarrow Tables as Arrow IPC: the same stored rows and
refusals as the JSON path, with no Python object per value."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

import vigil
from vigil import _tables

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

ARROW = "application/vnd.apache.arrow.stream"


def rows(n: int = 40) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for i in range(n):
        out.append(
            {
                "id": f"a{i}",
                "timestamp": f"2026-11-30T00:{i % 60:02d}:00Z",
                "prediction": i % 2,
                "score": None if i == 5 else (i % 10) / 10,
                "amount": None if i % 7 == 3 else i * 2.5,
                "count": i,
                "country": None if i % 6 == 1 else ["FR", "DE", "US"][i % 3],
                "returning": i % 4 == 0,
                "region": "eu" if i % 2 else "na",
            }
        )
    return out


def content_types(client: vigil.Client, monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The content type of every request the client sends from now on."""
    seen: List[str] = []
    request = client._transport.request

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(str(kwargs.get("content_type")))
        return request(*args, **kwargs)

    monkeypatch.setattr(client._transport, "request", recording)
    return seen


def stored(model: Any) -> List[Dict[str, Any]]:
    return sorted(
        (
            {
                "id": p.id,
                "timestamp": p.timestamp,
                "prediction": p.prediction,
                "score": p.score,
                "features": p.features,
                "segments": p.segments,
            }
            for p in model.predictions(limit=None)
        ),
        key=lambda p: str(p["id"]),
    )


def test_dataframes_and_tables_go_as_arrow_and_store_the_rows_json_stores(
    client: vigil.Client, server: Any, fresh_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import register

    data = rows()
    frame = pd.DataFrame(data)
    table = pa.Table.from_pylist(data)
    names = [f"{fresh_name}-{kind}" for kind in ("json", "frame", "table")]
    for name in names:
        register(server, name)
    seen = content_types(client, monkeypatch)
    by_json = client.model(names[0], segments=["region"]).log_batch(data)
    assert seen == ["application/vnd.vigil.columns+json"]
    # Arrow: no column is read into Python values.
    monkeypatch.setattr(_tables, "_read_column", lambda *a: pytest.fail("a column was read value by value"))
    by_frame = client.model(names[1], segments=["region"]).log_batch(frame, chunk_size=15)
    by_table = client.model(names[2], segments=["region"]).log_batch(table)
    assert seen[1:] == [ARROW] * 4
    assert by_json.ids == by_frame.ids == by_table.ids
    assert by_json.accepted == by_frame.accepted == by_table.accepted == 40
    expected = stored(client.model(names[0]))
    assert stored(client.model(names[1])) == expected
    assert stored(client.model(names[2])) == expected
    third = next(p for p in expected if p["id"] == "a3")
    assert third["features"] == {"count": 3, "country": "FR", "returning": False}  # amount: NaN


def test_rows_without_an_id_or_a_time_get_them_and_refusals_keep_their_index(
    client: vigil.Client, model_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = client.model(model_name)
    seen = content_types(client, monkeypatch)
    table = pa.table(
        {
            "prediction": pa.array([1, 0, None, 1], pa.int64()),
            "x": pa.array([1.5, float("nan"), 2.5, 3.5]),
        }
    )
    with pytest.raises(vigil.ValidationError) as caught:
        model.log_batch(table)
    assert seen == [ARROW]
    assert caught.value.accepted == 3
    assert [r.index for r in caught.value.rejected] == [2]
    ids = [p.id for p in model.predictions(limit=None)]
    assert len(ids) == 3
    assert model.prediction(ids[0]).timestamp is not None
    # NaN is a missing value, as in the JSON path.
    assert sorted((p.features.get("x") for p in model.predictions(limit=None)), key=str) == [1.5, 3.5, None]


def test_a_column_arrow_would_read_differently_goes_as_json(
    client: vigil.Client, model_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = client.model(model_name)
    seen = content_types(client, monkeypatch)
    # A datetime feature is ISO-8601 text in JSON, a number in Arrow: the JSON path keeps its meaning.
    frame = pd.DataFrame(
        {"id": ["d0", "d1"], "prediction": [1, 0], "when": pd.to_datetime(["2026-01-01", "2026-01-02"])}
    )
    assert model.log_batch(frame).accepted == 2
    assert seen == ["application/vnd.vigil.columns+json"]
    assert model.prediction("d0").features == {"when": "2026-01-01T00:00:00+00:00"}


def test_labels_from_a_dataframe_go_as_arrow_and_store_what_json_stores(
    client: vigil.Client, server: Any, fresh_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import register

    names = [f"{fresh_name}-json", f"{fresh_name}-arrow"]
    for name in names:
        register(server, name)
        client.model(name).log_batch([{"id": f"l{i}", "prediction": i % 2} for i in range(6)])
    labels = {
        "id": [f"l{i}" for i in range(6)],
        "label": [1.0, 0.0, float("nan"), 1.0, 0.0, 1.0],
        "timestamp": [f"2026-12-01T00:0{i}:00Z" for i in range(6)],
    }
    seen = content_types(client, monkeypatch)
    with pytest.raises(vigil.ValidationError) as by_json:
        client.model(names[0]).log_labels(labels)
    monkeypatch.setattr(_tables, "_read_column", lambda *a: pytest.fail("a column was read value by value"))
    with pytest.raises(vigil.ValidationError) as by_arrow:
        client.model(names[1]).log_labels(pd.DataFrame(labels))
    assert seen == ["application/x-ndjson", ARROW]
    # Row 2 has no label (NaN) in both: refused, the others stored.
    assert [r.index for r in by_json.value.rejected] == [r.index for r in by_arrow.value.rejected] == [2]

    def read(name: str) -> List[Any]:
        return sorted((p.id, p.label, p.label_timestamp) for p in client.model(name).predictions(limit=None))

    assert read(names[1]) == read(names[0])


def test_chunks_of_one_table_go_at_once_and_answer_in_order(
    client: vigil.Client, model_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of a table whose ids all differ go up to max_in_flight at a time; refusals keep their
    index in the table, whichever request landed first. A table that repeats an id goes chunk after
    chunk: the first copy is the one stored, as in one request."""
    model = client.model(model_name)
    data = rows(50)
    data[3]["prediction"] = None
    data[37]["prediction"] = None
    with pytest.raises(vigil.ValidationError) as caught:
        model.log_batch(pd.DataFrame(data), chunk_size=10)
    assert caught.value.accepted == 48
    assert [r.index for r in caught.value.rejected] == [3, 37]
    assert len(model.predictions(limit=None)) == 48

    repeated = rows(30)
    for row in repeated:
        row["id"] = f"r-{row['id']}"
    repeated[25] = {**repeated[2], "score": 0.99}  # the same id as row 2, in a later chunk
    seen = content_types(client, monkeypatch)
    result = model.log_batch(pd.DataFrame(repeated), chunk_size=10)
    assert seen == [ARROW] * 3
    assert result.accepted == 30
    assert model.prediction("r-a2").score == 0.2
