"""Failures: a server killed mid-stream, bodies too large, overload answers, a full queue,
batches that fail for good, and errors that carry the server's message."""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path
from typing import Any, ClassVar, Iterator, List

import pytest
from conftest import Server, free_port, register

import vigil
from vigil._http import RetryPolicy, backoff_delay, parse_retry_after


def test_a_server_killed_mid_stream_loses_nothing_after_it_restarts(workdir: Path, fresh_name: str) -> None:
    model_name = fresh_name
    server = Server(workdir / f"kill-{model_name}")
    server.start()
    register(server, model_name)
    retries: List[str] = []
    try:
        client = vigil.Client(
            server.url,
            server.admin_key,
            flush_interval=0.01,
            batch_size=50,
            retry_base_delay=0.05,
            retry_max_delay=0.5,
            max_retries=200,
            on_retry=lambda n, delay, reason: retries.append(reason),
        )
        model = client.model(model_name)
        for i in range(3000):
            model.log(id=f"k{i}", features={"x": i}, prediction=i % 2)
        # Killed while batches are being sent: one may have been committed without its answer
        # arriving; the client re-sends it and the server stores each id once.
        deadline = time.monotonic() + 120  # a guard against a hang, not a timing assertion
        while client.stats.accepted < 100 and time.monotonic() < deadline:
            client.flush(0.01)
        assert client.stats.accepted >= 100
        server.kill()
        for i in range(3000, 3500):
            model.log(id=f"k{i}", features={"x": i}, prediction=i % 2)
        server.start()
        assert client.flush(120)
        client.close()
        assert retries
        assert (client.stats.accepted, client.stats.failed, client.stats.rejected) == (3500, 0, 0)
        stored = [p.id for p in model.predictions(limit=None)]
        assert len(stored) == 3500
        assert set(stored) == {f"k{i}" for i in range(3500)}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def small_server(workdir: Path) -> Iterator[Server]:
    server = Server(workdir / "small", env={"VIGIL_MAX_BODY_MB": "1"})
    server.start()
    yield server
    server.stop()


def test_bodies_too_large_for_the_server_are_split(small_server: Server, fresh_name: str) -> None:
    pd = pytest.importorskip("pandas")
    model_name = fresh_name
    register(small_server, model_name)
    client = vigil.Client(
        small_server.url,
        small_server.admin_key,
        batch_size=20_000,
        flush_interval=0.05,
        max_batch_bytes=64 << 20,
    )
    model = client.model(model_name)
    n = 20_000
    rows = pd.DataFrame(
        {
            "id": [f"big-{i}" for i in range(n)],
            "prediction": [i % 2 for i in range(n)],
            "text": [f"value number {i} of a rather long text feature" for i in range(n)],
        }
    )
    assert len(rows.to_json(orient="columns")) > 1 << 20  # one body would be over the server's limit
    assert model.log_batch(rows, chunk_size=n).accepted == n
    for i in range(n):
        model.log(id=f"q{i}", features={"text": f"another rather long value, number {i}"}, prediction=1)
    assert client.flush(60)
    client.close()
    assert (client.stats.accepted, client.stats.failed) == (n, 0)
    assert len(model.predictions(limit=None)) == 2 * n


class Overloaded(http.server.BaseHTTPRequestHandler):
    """Answers 503 with Retry-After twice, then accepts."""

    calls: ClassVar[List[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        Overloaded.calls.append(self.headers.get("Retry-After", ""))
        if len(Overloaded.calls) <= 2:
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"accepted": 1, "rejected": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_overload_answers_are_retried_after_retry_after() -> None:
    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Overloaded)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    waits: List[float] = []
    try:
        client = vigil.Client(
            f"http://127.0.0.1:{stub.server_address[1]}",
            "k",
            retry_base_delay=30,
            on_retry=lambda n, delay, reason: waits.append(delay),
        )
        result = client.model("m").log_batch([{"prediction": 1}])
        assert result.accepted == 1
        assert waits == [0.0, 0.0]  # the server's Retry-After, not the 30 s backoff
    finally:
        stub.shutdown()


def test_retry_helpers() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0) == 0.0
    assert parse_retry_after("soon") is None
    policy = RetryPolicy(base_delay=0.25, max_delay=30)
    assert backoff_delay(0, policy, lambda: 0.0) == 0.125
    assert backoff_delay(3, policy, lambda: 1.0) == 2.0
    assert backoff_delay(20, policy, lambda: 1.0) == 30.0


def test_a_full_queue_raises_or_blocks_as_configured() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens: records stay in memory
    raising = vigil.Client(
        url,
        "k",
        max_queue=3,
        when_full="raise",
        retry_base_delay=60,
        flush_at_exit=False,
        on_error=lambda e: None,
    )
    model = raising.model("m")
    for _ in range(3):
        model.log(features={}, prediction=1)
    with pytest.raises(vigil.QueueFullError, match="max_queue = 3"):
        model.log(features={}, prediction=1)
    assert raising.stats.pending == 3

    blocking = vigil.Client(
        url,
        "k",
        max_queue=1,
        block_timeout=0.1,
        retry_base_delay=60,
        flush_at_exit=False,
        on_error=lambda e: None,
    )
    blocking.model("m").log(features={}, prediction=1)
    with pytest.raises(vigil.QueueFullError):
        blocking.model("m").log(features={}, prediction=1)


def test_batches_that_fail_for_good_are_reported_with_their_records() -> None:
    errors: List[vigil.VigilError] = []
    client = vigil.Client(
        f"http://127.0.0.1:{free_port()}",
        "k",
        max_retries=1,
        retry_base_delay=0.01,
        on_error=errors.append,
        flush_at_exit=False,
    )
    client.model("m").log(id="lost-1", features={"x": 1}, prediction=1)
    client.model("m").log_label("lost-1", 0)
    assert client.flush(30)
    assert client.stats.failed == 2
    deliveries = [e for e in errors if isinstance(e, vigil.DeliveryError)]
    assert sorted(e.kind for e in deliveries) == ["labels", "predictions"]
    predictions = next(e for e in deliveries if e.kind == "predictions")
    assert predictions.records[0]["id"] == "lost-1"
    assert isinstance(predictions.cause, vigil.NetworkError)
    assert "Cannot reach the Vigil server" in str(predictions)


def test_errors_carry_the_server_message(server: Server, client: vigil.Client, fresh_name: str) -> None:
    model_name = fresh_name
    with pytest.raises(vigil.AuthError, match="The API key is not valid"):
        vigil.Client(server.url, "vk_wrong").models()
    with pytest.raises(vigil.NotFoundError, match=f'Model "{model_name}" does not exist') as caught:
        client.model(model_name).info()
    assert caught.value.status == 404
    client.create_model(model_name, "regression")
    with pytest.raises(vigil.ConflictError):
        client.create_model(model_name, "regression")
    assert client.create_model(model_name, "regression", exist_ok=True).task == "regression"
    with pytest.raises(vigil.ValidationError) as invalid:
        client.create_model("other-" + model_name, "clustering")
    assert invalid.value.status == 400
    assert invalid.value.details
    with pytest.raises(vigil.NotFoundError):
        client.model(model_name).prediction("nope")
    with pytest.raises(ValueError, match="Invalid Vigil server URL"):
        vigil.Client("localhost:4000")
