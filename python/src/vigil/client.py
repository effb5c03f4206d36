"""``vigil.Client``: the connection to a server, its background queue and the reads that are not
about one model."""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from types import TracebackType
from typing import Any, Dict, Iterator, Mapping, Optional, Type

from ._bodies import json_body
from ._http import RetryCallback, RetryPolicy, Transport
from ._sender import ErrorCallback, Sender, log_error
from .errors import VigilError
from .model import Model, iter_pages
from .types import Alert, ClientStats, ModelHealth, ModelInfo, RecordList, from_json, record_list

logger = logging.getLogger("vigil")

DEFAULT_URL = "http://localhost:4000"


class Client:
    """A Vigil server and the background queue that sends what ``model.log`` records.

    ``url`` and ``api_key`` default to ``VIGIL_URL`` (else http://localhost:4000) and
    ``VIGIL_API_KEY``. Logged records wait in memory, at most ``max_queue`` of them: when the queue
    is full, ``log`` waits for room (``when_full="block"``, at most ``block_timeout`` seconds when
    given) or raises :class:`vigil.QueueFullError` (``when_full="raise"``). Background threads send them
    in batches of ``batch_size`` at least every ``flush_interval`` seconds (up to ``max_in_flight``
    requests at once), by column and gzip
    compressed, retried with backoff on network errors, 5xx, 429 and 503 (after the server's
    ``Retry-After``), split in halves when the server says a body is too large (413). Records that
    fail for good are counted in ``stats`` and given to ``on_error`` (a
    :class:`vigil.DeliveryError` holding them; refused records as a :class:`vigil.ValidationError`);
    by default they are logged on the ``vigil`` logger. Records still queued are sent when the
    interpreter exits (waiting at most ``exit_timeout`` seconds) and on ``close()``.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        batch_size: int = 1000,
        flush_interval: float = 1.0,
        max_queue: int = 100_000,
        when_full: str = "block",
        block_timeout: Optional[float] = None,
        max_batch_bytes: int = 8 * 1024 * 1024,
        max_in_flight: int = 4,
        format: str = "columns",
        compression: bool = True,
        timeout: float = 60.0,
        max_retries: int = 8,
        retry_base_delay: float = 0.25,
        retry_max_delay: float = 30.0,
        max_retry_after: float = 300.0,
        on_error: Optional[ErrorCallback] = None,
        on_retry: Optional[RetryCallback] = None,
        flush_at_exit: bool = True,
        exit_timeout: float = 30.0,
    ) -> None:
        for name, value in (
            ("batch_size", batch_size),
            ("max_queue", max_queue),
            ("max_batch_bytes", max_batch_bytes),
            ("max_in_flight", max_in_flight),
        ):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        if flush_interval <= 0:
            raise ValueError(f"flush_interval must be > 0 seconds, got {flush_interval!r}")
        if when_full not in ("block", "raise"):
            raise ValueError(f"when_full must be 'block' or 'raise', got {when_full!r}")
        if format not in ("columns", "ndjson"):
            raise ValueError(f"format must be 'columns' or 'ndjson', got {format!r}")
        self.url = url or os.environ.get("VIGIL_URL") or DEFAULT_URL
        key = api_key if api_key is not None else os.environ.get("VIGIL_API_KEY")
        policy = RetryPolicy(
            max_retries=max_retries,
            base_delay=retry_base_delay,
            max_delay=retry_max_delay,
            max_retry_after=max_retry_after,
        )
        self._transport = Transport(
            self.url, key, timeout=timeout, policy=policy, compression=compression, on_retry=on_retry
        )
        self.batch_size = batch_size
        self.max_batch_bytes = max_batch_bytes
        # Tables go as Arrow IPC (when pyarrow is installed) until a server answers 415 to it.
        self._arrow = format != "ndjson"
        self.on_error: ErrorCallback = on_error or log_error
        self._sender = Sender(
            self._transport,
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_queue=max_queue,
            when_full=when_full,
            block_timeout=block_timeout,
            max_batch_bytes=max_batch_bytes,
            columns=format == "columns",
            on_error=self._report,
            max_in_flight=max_in_flight,
        )
        #: Requests ``log_batch`` sends at once (a table of several chunks).
        self.max_in_flight = max_in_flight
        self._models: Dict[str, Model] = {}
        self._lock = threading.Lock()
        self._exit_timeout = exit_timeout
        if flush_at_exit:
            _open_clients.add(self)

    def __repr__(self) -> str:
        return f"vigil.Client({self.url!r})"

    # -- models -------------------------------------------------------------------------------

    def model(self, name: str, **columns: Any) -> Model:
        """The handle of model ``name`` (it need not exist to log; see :meth:`create_model`).

        Keyword arguments give the column mapping once for ``log_batch``, ``log_labels`` and
        ``upload_reference``: ``id``, ``timestamp``, ``prediction``, ``score``, ``label``,
        ``version`` (column names), ``features`` and ``segments`` (lists), ``scores`` ({class: column}).
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"a model name is a non-empty string, got {name!r}")
        with self._lock:
            handle = self._models.get(name)
            if handle is None or columns:
                handle = Model(self, name, **columns)
                self._models[name] = handle
            return handle

    def create_model(
        self,
        name: str,
        task: str,
        *,
        schema: Optional[Mapping[str, Any]] = None,
        description: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
        exist_ok: bool = False,
    ) -> ModelInfo:
        """Registers a model; ``task`` is ``binary_classification``, ``multiclass_classification`` or
        ``regression``. With ``exist_ok`` an existing model of that name is returned as it is."""
        body: Dict[str, Any] = {"name": name, "task": task}
        if schema is not None:
            body["schema"] = dict(schema)
        if description is not None:
            body["description"] = description
        if tags is not None:
            body["tags"] = dict(tags)
        from .errors import ConflictError

        try:
            answer = self._request("POST", "models", body=json_body(body), idempotent=False)
        except ConflictError:
            if not exist_ok:
                raise
            return self.model(name).info()
        return from_json(ModelInfo, answer)

    def models(self) -> RecordList[ModelInfo]:
        """Every registered model."""
        return record_list(ModelInfo, self._request("GET", "models", idempotent=True)["data"])

    # -- monitoring reads ---------------------------------------------------------------------

    def health(self) -> RecordList[ModelHealth]:
        """Every model's worst current status, monitor counts by status and alerting monitors."""
        return record_list(ModelHealth, self._request("GET", "health", idempotent=True)["data"])

    def alerts(
        self,
        *,
        model: Optional[str] = None,
        state: Optional[str] = None,
        severity: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> RecordList[Alert]:
        """Alerts, newest first (``state``: pending, firing or resolved), at most ``limit``."""
        query = {"model": model, "state": state, "severity": severity}
        return RecordList(self._iter("alerts", query, Alert, limit))

    def alert(self, alert_id: int) -> Alert:
        """One alert with its comments."""
        return from_json(Alert, self._request("GET", f"alerts/{int(alert_id)}", idempotent=True))

    def ping(self) -> bool:
        """Whether the server answers ``/healthz`` (one attempt, no retries)."""
        return self._transport.ping()

    # -- queue --------------------------------------------------------------------------------

    @property
    def stats(self) -> ClientStats:
        """Counters of logged records: pending, accepted, rejected, failed."""
        return self._sender.stats

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything logged so far and waits until it is stored, refused or failed for good.
        Returns False when ``timeout`` seconds passed first."""
        return self._sender.flush(timeout)

    def close(self, timeout: Optional[float] = None) -> bool:
        """Flushes and stops the background thread; logging afterwards raises ClientClosedError."""
        done = self._sender.close(timeout)
        _open_clients.discard(self)
        self._transport.close()
        return done

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------

    def _report(self, error: VigilError) -> None:
        self.on_error(error)

    def _enqueue(self, kind: str, model: str, record: Dict[str, Any]) -> None:
        self._sender.put(kind, model, record)

    def _request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        query: Optional[Mapping[str, Any]] = None,
        body: Optional[bytes] = None,
        content_type: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        content_encoding: Optional[str] = None,
    ) -> Any:
        return self._transport.request(
            method,
            path,
            query=query,
            body=body,
            content_type=content_type,
            headers=headers,
            idempotent=idempotent,
            content_encoding=content_encoding,
        )

    def _iter(
        self, path: str, query: Mapping[str, Any], cls: Type[Any], limit: Optional[int]
    ) -> Iterator[Any]:
        return iter_pages(self, path, query, cls, limit)

    def _exit_flush(self) -> None:
        done = self._sender.close(self._exit_timeout)
        if not done:
            logger.error(
                "vigil: %d record(s) were not delivered before the interpreter exited "
                "(server unreachable for %.0f s)",
                self._sender.stats.pending,
                self._exit_timeout,
            )


_open_clients: weakref.WeakSet[Client] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    for client in list(_open_clients):
        try:
            client._exit_flush()
        except Exception:
            logger.exception("vigil: flushing at exit failed")
