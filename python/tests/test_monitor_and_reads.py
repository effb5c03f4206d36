"""``@model.monitor`` on functions and estimator-like objects, and the read calls."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List

import pytest

import vigil


def test_monitor_logs_function_arguments_and_results(client: vigil.Client, model_name: str) -> None:
    model = client.model(model_name)

    @model.monitor
    def predict(amount: float, country: str = "FR") -> int:
        return 1 if amount > 10 else 0

    @model.monitor(version="v2")
    def predict_one(features: Dict[str, Any]) -> Dict[str, Any]:
        return {"prediction": "yes", "score": 0.9}

    assert predict(12.0) == 1
    assert predict_one({"amount": 3}) == {"prediction": "yes", "score": 0.9}
    assert client.flush(30)
    stored = sorted(model.predictions(), key=lambda p: p.version or "")
    assert [(p.features, p.prediction, p.version) for p in stored] == [
        ({"amount": 12.0, "country": "FR"}, 1, None),
        ({"amount": 3}, "yes", "v2"),
    ]
    assert stored[1].score == 0.9


class TwoClasses:
    """Enough of a scikit-learn classifier: classes_, feature_names_in_, predict, predict_proba."""

    classes_: ClassVar[List[str]] = ["no", "yes"]
    feature_names_in_: ClassVar[List[str]] = ["a", "b"]

    def predict(self, x: Any) -> List[str]:
        return ["yes" if row[0] > row[1] else "no" for row in _rows(x)]

    def predict_proba(self, x: Any) -> List[List[float]]:
        return [[0.2, 0.8] if row[0] > row[1] else [0.7, 0.3] for row in _rows(x)]


def _rows(x: Any) -> List[List[float]]:
    return [list(r) for r in (x.values.tolist() if hasattr(x, "values") else x)]


def test_monitor_wraps_predict_and_predict_proba(client: vigil.Client, model_name: str) -> None:
    pd = pytest.importorskip("pandas")
    model = client.model(model_name)
    clf = model.monitor(TwoClasses())
    assert clf.classes_ == ["no", "yes"]
    assert clf.predict([[2, 1], [0, 1]]) == ["yes", "no"]
    assert clf.predict_proba(pd.DataFrame({"a": [5], "b": [1]})) == [[0.2, 0.8]]
    assert client.flush(30)
    stored = model.predictions()
    assert len(stored) == 3
    proba = [p for p in stored if p.scores]
    assert [(p.features, p.prediction, p.score, p.scores) for p in proba] == [
        ({"a": 5, "b": 1}, "yes", 0.8, {"no": 0.2, "yes": 0.8})
    ]
    assert {(p.features["a"], p.prediction) for p in stored if not p.scores} == {(2, "yes"), (0, "no")}


def test_monitor_never_breaks_the_prediction(server: Any, model_name: str) -> None:
    errors: List[vigil.VigilError] = []
    client = vigil.Client(server.url, server.admin_key, on_error=errors.append)
    model = client.model(model_name)

    @model.monitor
    def predict(value: object) -> int:
        return 1

    assert predict(object()) == 1
    assert len(errors) == 1
    assert "cannot send a value of type object" in str(errors[0])
    client.close()


def test_reads_as_dataclasses_and_dataframes(client: vigil.Client, fresh_name: str) -> None:
    pd = pytest.importorskip("pandas")
    model_name = fresh_name
    client.create_model(model_name, "binary_classification", tags={"team": "risk"})
    model = client.model(model_name)
    assert model_name in [m.name for m in client.models()]
    assert model.info().tags == {"team": "risk"}
    model.create_version("v1", metrics={"auc": 0.91}, params={"depth": 4})
    versions = model.versions()
    assert [(v.name, v.metrics) for v in versions] == [("v1", {"auc": 0.91})]
    assert list(versions.to_pandas()["name"]) == ["v1"]

    model.upload_reference([{"x": float(i), "prediction": i % 2, "score": 0.5} for i in range(200)])
    model.log_batch([{"id": f"p{i}", "x": float(i), "prediction": 1, "score": 0.7} for i in range(30)])
    page = model.predictions_page(limit=10)
    assert len(page.data) == 10 and page.next_cursor
    following = model.predictions_page(limit=10, cursor=page.next_cursor)
    assert {p.id for p in page.data}.isdisjoint({p.id for p in following.data})
    assert len(model.predictions(limit=25)) == 25
    assert sum(1 for _ in model.iter_predictions()) == 30

    assert [(d.name, d.rows) for d in model.reference_datasets()] == [("default", 200)]
    assert sum(w.predictions for w in model.traffic(bucket="day")) == 30

    monitors = model.monitors()
    assert {"data_quality", "feature_drift"} <= {m.kind for m in monitors}
    results = model.results(limit=50)
    assert all(isinstance(r, vigil.MonitorResult) for r in results)
    assert isinstance(results.to_pandas(), pd.DataFrame)
    assert model.health().model == model_name
    assert any(h.model == model_name for h in client.health())
    assert isinstance(model.alerts(), list)
    assert isinstance(client.alerts(limit=5).to_pandas(), pd.DataFrame)
