"""How Python, numpy and pandas values are sent (no server needed)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from vigil._bodies import columns_body
from vigil._values import new_id, timestamp_value, wire, wire_mapping


def test_plain_values_and_missing_ones() -> None:
    assert wire_mapping(
        {"s": "a", "i": 1, "b": True, "n": None, "f": 1.5, "nan": float("nan"), 3: "key"}, "features"
    ) == {"s": "a", "i": 1, "b": True, "n": None, "f": 1.5, "nan": None, "3": "key"}
    # Infinities are sent as text, which the server flags as non_finite rather than refusing the body.
    assert wire(float("inf"), "x") == "Infinity"
    assert wire(float("-inf"), "x") == "-Infinity"
    assert wire(Decimal("2.5"), "x") == 2.5
    assert wire(dt.timedelta(minutes=1), "x") == 60.0
    with pytest.raises(TypeError, match=r"features.x: cannot send a value of type list"):
        wire_mapping({"x": [1]}, "features")


def test_timestamps() -> None:
    assert timestamp_value(dt.datetime(2026, 1, 5, 10, 0)) == "2026-01-05T10:00:00+00:00"  # naive is UTC
    plus_two = dt.timezone(dt.timedelta(hours=2))
    assert timestamp_value(dt.datetime(2026, 1, 5, 10, 0, tzinfo=plus_two)) == "2026-01-05T10:00:00+02:00"
    assert timestamp_value(1767607200000) == 1767607200000
    assert timestamp_value(dt.date(2026, 1, 5)) == "2026-01-05"
    with pytest.raises(TypeError, match="timestamp: expected a datetime"):
        timestamp_value(True)


def test_numpy_and_pandas_values() -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert wire(np.int64(3), "x") == 3
    assert wire(np.float32(0.5), "x") == 0.5
    assert wire(np.float64("nan"), "x") is None
    assert wire(np.bool_(False), "x") is False
    assert wire(pd.NaT, "x") is None
    assert wire(pd.NA, "x") is None
    assert wire(pd.Timestamp("2026-01-05T10:00:00Z"), "x") == "2026-01-05T10:00:00+00:00"
    assert timestamp_value(np.datetime64("2026-01-05T10:00:00")) == "2026-01-05T10:00:00+00:00"


def test_columns_body_collapses_constants_and_pads_absent_values() -> None:
    body = json.loads(
        columns_body(
            [
                {"id": "a", "timestamp": 1, "prediction": 1, "features": {"x": 1}},
                {
                    "id": "b",
                    "timestamp": 1,
                    "prediction": True,
                    "features": {"y": "v"},
                    "segments": {"r": "eu"},
                },
            ]
        )
    )
    assert body == {
        "length": 2,
        "id": ["a", "b"],
        "timestamp": 1,
        "prediction": [1, True],  # equal in Python, not on the wire
        "features": {"x": [1, None], "y": [None, "v"]},
        "segments": {"r": [None, "eu"]},
    }


def test_ids_are_unique() -> None:
    ids = {new_id() for _ in range(10_000)}
    assert len(ids) == 10_000
