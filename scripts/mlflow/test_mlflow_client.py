"""MLflow's own client against a real Vigil server (started by scripts/test-mlflow.sh).

MLFLOW_TRACKING_URI is the server, MLFLOW_TRACKING_TOKEN a Vigil API key. Each test uses
names of its own, so the tests do not depend on each other's order.
"""

import os
import uuid

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException, RestException
from sklearn.linear_model import LogisticRegression


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def client():
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    return MlflowClient()


def training_data():
    rng = np.random.default_rng(7)
    x = pd.DataFrame({"amount": rng.normal(size=200), "age": rng.normal(size=200)})
    y = (x["amount"] + 0.5 * x["age"] > 0).astype(int)
    return x, y


def test_the_whole_flow(client, tmp_path):
    experiment_name = unique("fraud-experiments")
    model_name = unique("fraud")
    experiment_id = mlflow.create_experiment(experiment_name)
    assert mlflow.get_experiment_by_name(experiment_name).experiment_id == experiment_id
    mlflow.set_experiment(experiment_name)

    x, y = training_data()
    with mlflow.start_run(run_name="baseline") as run:
        mlflow.log_params({"C": 0.5, "solver": "lbfgs"})
        mlflow.log_param("max_iter", 200)
        for step, loss in enumerate([0.9, 0.6, 0.4]):
            mlflow.log_metric("loss", loss, step=step)
        mlflow.set_tags({"team": "risk", "stage": "baseline"})
        notes = tmp_path / "notes.txt"
        notes.write_text("trained on the January extract\n")
        mlflow.log_artifact(str(notes), artifact_path="docs")
        dataset = mlflow.data.from_pandas(x.assign(label=y), name="january", targets="label")
        mlflow.log_input(dataset, context="training")

        model = LogisticRegression(C=0.5, max_iter=200).fit(x, y)
        mlflow.log_metric("accuracy", float(model.score(x, y)))
        info = mlflow.sklearn.log_model(
            model,
            name="model",
            registered_model_name=model_name,
            input_example=x.head(3),
            # skops (the default) is not installed; cloudpickle comes with mlflow-skinny.
            serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
            # Named, not inferred: inference loads the model in a subprocess (seconds).
            pip_requirements=["scikit-learn", "cloudpickle"],
        )
    assert str(info.registered_model_version) == "1"

    fetched = client.get_run(run.info.run_id)
    assert fetched.info.status == "FINISHED"
    assert fetched.data.params == {"C": "0.5", "solver": "lbfgs", "max_iter": "200"}
    assert fetched.data.metrics["loss"] == 0.4
    assert fetched.data.tags["team"] == "risk"
    assert [p.value for p in client.get_metric_history(run.info.run_id, "loss")] == [0.9, 0.6, 0.4]
    assert fetched.inputs.dataset_inputs[0].dataset.name == "january"
    assert fetched.inputs.dataset_inputs[0].dataset.digest == dataset.digest

    # Artifacts: listed and read back through the proxy.
    listed = [f.path for f in client.list_artifacts(run.info.run_id, "docs")]
    assert listed == ["docs/notes.txt"]
    local = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="docs/notes.txt")
    assert open(local).read() == "trained on the January extract\n"

    # A second run, then search with MLflow's filter syntax and order_by.
    with mlflow.start_run(run_name="wider"):
        mlflow.log_param("C", 2.0)
        mlflow.log_metric("loss", 0.7)
        mlflow.set_tag("team", "risk")
    found = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string="metrics.loss < 0.5 and params.solver = 'lbfgs' and tags.team = 'risk'",
        output_format="list",
    )
    assert [r.info.run_id for r in found] == [run.info.run_id]
    ordered = client.search_runs([experiment_id], order_by=["metrics.loss DESC"])
    assert [r.info.run_name for r in ordered] == ["wider", "baseline"]

    # The registry: the version carries its run; the alias moves; the model loads by alias.
    version = client.get_model_version(model_name, "1")
    assert version.run_id == run.info.run_id
    client.set_registered_model_alias(model_name, "champion", "1")
    assert client.get_model_version_by_alias(model_name, "champion").version == "1"
    loaded = mlflow.pyfunc.load_model(f"models:/{model_name}@champion")
    predictions = loaded.predict(x.head(5))
    assert list(predictions) == list(model.predict(x.head(5)))


def test_errors_raise_the_usual_exceptions(client):
    experiment_name = unique("errors")
    experiment_id = client.create_experiment(experiment_name)
    with pytest.raises(MlflowException) as taken:
        client.create_experiment(experiment_name)
    assert taken.value.error_code == "RESOURCE_ALREADY_EXISTS"

    with pytest.raises(MlflowException) as missing:
        client.get_run("0123456789abcdef0123456789abcdef")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert client.get_experiment_by_name(unique("never")) is None

    run = client.create_run(experiment_id)
    client.log_param(run.info.run_id, "lr", "0.1")
    client.log_param(run.info.run_id, "lr", "0.1")  # the same value again is fine
    with pytest.raises(MlflowException) as changed:
        client.log_param(run.info.run_id, "lr", "0.2")
    assert changed.value.error_code == "INVALID_PARAMETER_VALUE"

    with pytest.raises(MlflowException) as too_long:
        client.log_metric(run.info.run_id, "k" * 251, 1.0)
    assert too_long.value.error_code == "INVALID_PARAMETER_VALUE"

    with pytest.raises(MlflowException) as bad_filter:
        client.search_runs([experiment_id], filter_string="metrics.loss <")
    assert bad_filter.value.error_code == "INVALID_PARAMETER_VALUE"


def test_artifact_paths_are_confined_to_their_run(client):
    base = os.environ["MLFLOW_TRACKING_URI"]
    headers = {"Authorization": f"Bearer {os.environ['MLFLOW_TRACKING_TOKEN']}"}
    experiment_id = client.create_experiment(unique("confined"))
    run = client.create_run(experiment_id)
    root = f"{base}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run.info.run_id}/artifacts"
    for path in ["../../x", "%2e%2e/x", "a//b"]:
        answer = requests.put(f"{root}/{path}", data=b"x", headers=headers, timeout=10)
        assert answer.status_code in (400, 404), path
        assert answer.json()["error_code"] in ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST")
    other = requests.put(
        f"{base}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/not-a-run/artifacts/x",
        data=b"x",
        headers=headers,
        timeout=10,
    )
    assert other.status_code == 404
    unauthenticated = requests.get(f"{base}/api/2.0/mlflow/experiments/get?experiment_id=1", timeout=10)
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error_code"] == "UNAUTHENTICATED"
    with pytest.raises(RestException):
        client.search_runs([experiment_id], filter_string="nope.x = 1")
