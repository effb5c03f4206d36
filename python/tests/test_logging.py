"""Logging in the background: batching, flush, close, labels, and the flush at interpreter exit."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Server

import vigil


def test_log_returns_an_id_and_the_record_reads_back_with_its_label(
    client: vigil.Client, model_name: str
) -> None:
    model = client.model(model_name)
    ids = [
        model.log(
            features={"amount": i * 1.5, "country": "FR" if i % 2 else "DE", "missing": None},
            prediction=i % 2,
            score=0.25,
            scores={"0": 0.75, "1": 0.25},
            segments={"region": "eu"},
            version="v1",
            timestamp=dt.datetime(2026, 12, 1, 10, 0, i % 60, tzinfo=dt.timezone.utc),
        )
        for i in range(1500)
    ]
    given = model.log(id="given-id", features={"amount": 1}, prediction="yes")
    model.log_label(ids[3], 0)
    assert given == "given-id"
    assert client.flush(30)
    assert client.stats.accepted == 1502
    assert client.stats.pending == 0

    stored = model.prediction(ids[3])
    assert stored.features == {"amount": 4.5, "country": "FR"}
    assert (stored.prediction, stored.score, stored.scores) == (1, 0.25, {"0": 0.75, "1": 0.25})
    assert stored.label == 0
    assert stored.segments == {"region": "eu"}
    assert stored.version == "v1"
    assert stored.timestamp == "2026-12-01T10:00:03.000Z"
    assert model.prediction("given-id").prediction == "yes"
    assert len(model.predictions(limit=None)) == 1501


def test_ndjson_format_and_numpy_values(server: Server, model_name: str) -> None:
    np = pytest.importorskip("numpy")
    with vigil.Client(server.url, server.admin_key, format="ndjson", flush_interval=0.05) as client:
        model = client.model(model_name)
        model.log(
            id="np",
            features={"x": np.float32(2.5), "n": np.int64(7), "nan": np.nan},
            prediction=np.bool_(True),
        )
    stored = client.model(model_name).prediction("np")
    assert stored.features == {"x": 2.5, "n": 7}
    assert stored.prediction == 1


def test_a_record_is_copied_when_logged(client: vigil.Client, model_name: str) -> None:
    features = {"x": 1}
    model = client.model(model_name)
    model.log(id="copy", features=features, prediction=0)
    features["x"] = 2
    client.flush(30)
    assert model.prediction("copy").features == {"x": 1}


def test_close_flushes_and_logging_afterwards_raises(server: Server, model_name: str) -> None:
    with vigil.Client(server.url, server.admin_key, flush_interval=60) as client:
        model = client.model(model_name)
        model.log(id="a", features={"x": 1}, prediction=0)
    assert client.stats.accepted == 1
    with pytest.raises(vigil.ClientClosedError):
        model.log(features={"x": 1}, prediction=0)


def test_records_queued_at_exit_are_sent(server: Server, model_name: str) -> None:
    script = (
        "import vigil, sys\n"
        "c = vigil.Client(sys.argv[1], sys.argv[2], flush_interval=3600)\n"
        "m = c.model(sys.argv[3])\n"
        "for i in range(10): m.log(id=f'exit-{i}', features={'x': i}, prediction=0)\n"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run(
        [sys.executable, "-c", script, server.url, server.admin_key, model_name],
        check=True,
        env=env,
        timeout=60,
    )
    reader = vigil.Client(server.url, server.admin_key, flush_at_exit=False)
    assert len(reader.model(model_name).predictions()) == 10


def test_bad_values_raise_at_the_call(client: vigil.Client, model_name: str) -> None:
    model = client.model(model_name)
    with pytest.raises(TypeError, match="features: expected a mapping"):
        model.log(features=[1, 2], prediction=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="features.when: cannot send a value of type object"):
        model.log(features={"when": object()}, prediction=1)
    with pytest.raises(TypeError, match="prediction: a prediction is required"):
        model.log(features={}, prediction=None)
    assert client.stats.pending == 0


def test_rejected_records_are_counted_and_reported(server: Server, model_name: str) -> None:
    errors: list[vigil.VigilError] = []
    with vigil.Client(server.url, server.admin_key, on_error=errors.append, flush_interval=0.05) as client:
        model = client.model(model_name)
        model.log(id="ok", features={"x": 1}, prediction=1)
        model.log(id="bad-time", features={"x": 1}, prediction=1, timestamp="last tuesday")
        assert client.flush(30)
        assert (client.stats.accepted, client.stats.rejected) == (1, 1)
    assert len(errors) == 1
    error = errors[0]
    assert isinstance(error, vigil.ValidationError)
    assert [r.id for r in error.rejected] == ["bad-time"]
    assert 'cannot parse "last tuesday"' in error.rejected[0].error


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_sends_its_own_records(server: Server, model_name: str) -> None:
    client = vigil.Client(server.url, server.admin_key, flush_interval=0.05, flush_at_exit=False)
    model = client.model(model_name)
    model.log(id="parent", features={"x": 1}, prediction=1)
    assert client.flush(30)
    pid = os.fork()
    if pid == 0:  # the worker: a new thread and connection of its own
        code = 1
        try:
            model.log(id="child", features={"x": 2}, prediction=0)
            code = 0 if client.flush(30) and client.stats.accepted == 1 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert model.prediction("child").features == {"x": 2}
    client.close()


def test_a_full_queue_makes_log_wait_for_room(server: Server, model_name: str) -> None:
    with vigil.Client(
        server.url, server.admin_key, max_queue=10, batch_size=5, flush_interval=0.05
    ) as client:
        model = client.model(model_name)
        for i in range(200):
            model.log(id=f"w{i}", features={"x": i}, prediction=1)
            assert client.stats.pending <= 10
    assert client.stats.accepted == 200
