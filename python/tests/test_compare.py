"""Champion / challenger: shadow predictions and the paired comparison of two versions."""

from __future__ import annotations

import datetime as dt

import pytest

import vigil


def test_compare_pairs_a_shadow_version_with_the_serving_one(client: vigil.Client, model_name: str) -> None:
    model = client.model(model_name)
    start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
    labels = [i % 2 for i in range(60)]
    # The serving version is wrong on every third request; the shadow version never.
    model.log_batch(
        [
            {
                "id": f"r{i}",
                "timestamp": start + dt.timedelta(seconds=i),
                "version": "1",
                "amount": float(i),
                "prediction": 1 - label if i % 3 == 0 else label,
            }
            for i, label in enumerate(labels)
        ]
    )
    shadow = [
        {"id": f"r{i}", "timestamp": start + dt.timedelta(seconds=i), "prediction": label}
        for i, label in enumerate(labels)
    ]
    assert model.log_shadow_predictions("2", shadow) == vigil.ShadowIngestResult(accepted=60, duplicates=0)
    assert model.log_shadow_predictions("2", shadow).duplicates == 60
    model.log_labels([{"id": f"r{i}", "label": label} for i, label in enumerate(labels)])

    result = model.compare("1", "2", start=start, end=start + dt.timedelta(hours=1), window="1h")
    assert (result.overall.pairs, result.overall.labelled) == (60, 60)
    accuracy = result.overall.metric("accuracy")
    assert accuracy.a == pytest.approx(40 / 60)
    assert accuracy.b == 1
    assert accuracy.test == "mcnemar"
    assert accuracy.better == "b"
    assert [w.pairs for w in result.windows] == [60]
    with pytest.raises(KeyError):
        result.overall.metric("rmse")
    with pytest.raises(vigil.NotFoundError, match='no version or alias "champion"'):
        model.compare("1", "champion")
