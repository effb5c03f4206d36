"""The background queue: records are held in memory (bounded), batched per model and kind, and
sent by one thread, compressed, retried, split on 413; what fails for good is reported."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import weakref
from typing import Callable, Dict, List, Optional, Tuple

from ._bodies import Record, columns_body, ndjson_body
from ._http import CONTENT_TYPES, Transport, quote_segment
from .errors import ClientClosedError, DeliveryError, QueueFullError, ValidationError, VigilError
from .types import ClientStats, IngestResult

logger = logging.getLogger("vigil")

ErrorCallback = Callable[[VigilError], None]


def log_error(error: VigilError) -> None:
    """The default ``on_error``: a log line on the ``vigil`` logger."""
    logger.error("%s", error)


class Batch:
    """Records to send in one or more requests; ``body(start, end)`` is the body of rows start..end."""

    content_type: str

    def __len__(self) -> int:
        raise NotImplementedError

    def body(self, start: int, end: int) -> bytes:
        raise NotImplementedError


class RecordBatch(Batch):
    """Records one per row: by column for predictions (unless NDJSON is asked for), else NDJSON."""

    def __init__(self, records: List[Record], by_column: bool) -> None:
        self.records = records
        self._by_column = by_column
        self.content_type = CONTENT_TYPES["columns" if by_column else "ndjson"]

    def __len__(self) -> int:
        return len(self.records)

    def body(self, start: int, end: int) -> bytes:
        part = self.records[start:end]
        return columns_body(part) if self._by_column else ndjson_body(part)


def post_batch(
    transport: Transport,
    path: str,
    batch: Batch,
    *,
    max_batch_bytes: int,
    result: IngestResult,
    start: int = 0,
    end: Optional[int] = None,
    query: Optional[Dict[str, object]] = None,
    headers: Optional[Callable[[int, int, bytes], Dict[str, str]]] = None,
) -> None:
    """Sends rows ``start..end`` of a batch: a body over ``max_batch_bytes``, or one the server
    finds too large (413), is split in halves. Adds each answer to ``result`` (indices relative to
    the batch); raises the error of a request that failed for good (earlier parts stay sent)."""
    end = len(batch) if end is None else end
    body = batch.body(start, end)
    middle = start + (end - start) // 2
    too_large = len(body) > max_batch_bytes
    if not too_large:
        try:
            answer = transport.request(
                "POST",
                path,
                query=query,
                body=body,
                content_type=batch.content_type,
                headers=headers(start, end, body) if headers else None,
                idempotent=True,  # every record carries an id: the server stores a re-sent one once
            )
        except ValidationError as error:
            if error.status != 413 or middle == start:
                raise
        else:
            result.add(answer, start)
            return
    if middle == start:  # one record over max_batch_bytes: the server says whether it fits
        answer = transport.request(
            "POST",
            path,
            query=query,
            body=body,
            content_type=batch.content_type,
            headers=headers(start, end, body) if headers else None,
            idempotent=True,
        )
        result.add(answer, start)
        return
    for a, b in ((start, middle), (middle, end)):
        post_batch(
            transport,
            path,
            batch,
            max_batch_bytes=max_batch_bytes,
            result=result,
            start=a,
            end=b,
            query=query,
            headers=headers,
        )


_senders: weakref.WeakSet[Sender] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for sender in list(_senders):
        sender._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Sender:
    """Holds logged records and sends them from one daemon thread."""

    def __init__(
        self,
        transport: Transport,
        *,
        batch_size: int,
        flush_interval: float,
        max_queue: int,
        when_full: str,
        block_timeout: Optional[float],
        max_batch_bytes: int,
        columns: bool,
        on_error: ErrorCallback,
        max_in_flight: int = 4,
    ) -> None:
        self._transport = transport
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._max_queue = max_queue
        self._when_full = when_full
        self._block_timeout = block_timeout
        self._max_batch_bytes = max_batch_bytes
        self._columns = columns
        self._on_error = on_error
        self._max_in_flight = max_in_flight
        self._closed = False
        self._reset()
        _senders.add(self)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._streams: Dict[Tuple[str, str], List[Record]] = {}
        self._held = 0  # queued, or taken by the thread and not settled yet
        self._enqueued = 0  # records ever queued; their sequence numbers
        self._taken = 0  # records handed to the thread
        self._settled = 0  # records stored, refused or failed for good
        self._flush_wanted = 0
        self._oldest: Optional[float] = None
        self._thread: Optional[threading.Thread] = None
        self._workers: List[threading.Thread] = []
        self._jobs: queue.SimpleQueue[Optional[Tuple[str, str, List[Record]]]] = queue.SimpleQueue()
        self._jobs_open = 0  # batches handed to the workers and not delivered yet
        self._stats = ClientStats()

    def _after_fork(self) -> None:
        """In a forked child (a pre-forking server's worker): the parent's thread did not come
        along, and its records are the parent's to send. Start empty, with a thread of our own."""
        self._reset()
        self._transport.after_fork()

    @property
    def stats(self) -> ClientStats:
        with self._cond:
            return ClientStats(
                pending=self._held,
                accepted=self._stats.accepted,
                rejected=self._stats.rejected,
                failed=self._stats.failed,
            )

    def put(self, kind: str, model: str, record: Record) -> None:
        with self._cond:
            if self._closed:
                raise ClientClosedError()
            if self._held >= self._max_queue:
                self._wait_for_room()
            key = (kind, model)
            stream = self._streams.get(key)
            if stream is None:
                stream = self._streams[key] = []
            stream.append(record)
            self._held += 1
            self._enqueued += 1
            if self._oldest is None:
                self._oldest = time.monotonic()
            if self._thread is None:
                # Threads start with the first record, never at interpreter exit (where starting
                # one fails); daemons, so that a process can end while the server is unreachable.
                self._thread = threading.Thread(target=self._run, name="vigil-sender", daemon=True)
                self._thread.start()
                for i in range(self._max_in_flight):
                    worker = threading.Thread(target=self._work, name=f"vigil-sender-{i}", daemon=True)
                    worker.start()
                    self._workers.append(worker)
            if len(stream) >= self._batch_size:
                self._cond.notify_all()

    def _wait_for_room(self) -> None:
        if self._when_full == "raise" or self._is_sender_thread():
            # The sender's own thread (an on_error handler that logs) would wait for itself.
            raise QueueFullError(self._max_queue)
        deadline = None if self._block_timeout is None else time.monotonic() + self._block_timeout
        while self._held >= self._max_queue:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise QueueFullError(self._max_queue)
            self._flush_wanted = max(self._flush_wanted, self._enqueued)
            self._cond.notify_all()
            self._cond.wait(remaining)
            if self._closed:
                raise ClientClosedError()

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything queued; True once every record queued before the call is settled."""
        with self._cond:
            target = self._enqueued
            if self._settled >= target:
                return True
            if self._is_sender_thread():
                return False
            self._flush_wanted = max(self._flush_wanted, target)
            self._cond.notify_all()
            return self._cond.wait_for(lambda: self._settled >= target, timeout)

    def close(self, timeout: Optional[float] = None) -> bool:
        """Flushes, then stops the thread; records logged afterwards raise :class:`ClientClosedError`."""
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        return done

    def _ready(self) -> bool:
        if self._enqueued == self._taken:
            return False
        if self._closed or self._flush_wanted > self._taken:
            return True
        if any(len(s) >= self._batch_size for s in self._streams.values()):
            return True
        return self._oldest is not None and time.monotonic() - self._oldest >= self._flush_interval

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._ready():
                    if self._closed:
                        for _ in self._workers:
                            self._jobs.put(None)  # each worker ends at one of these
                        return
                    wait = None
                    if self._oldest is not None:
                        wait = max(0.0, self._flush_interval - (time.monotonic() - self._oldest))
                    self._cond.wait(wait)
                taken, self._streams = self._streams, {}
                upto = self._enqueued
                self._taken = upto
                self._oldest = None
                for (kind, model), records in taken.items():
                    for start in range(0, len(records), self._batch_size):
                        self._jobs_open += 1
                        self._jobs.put((kind, model, records[start : start + self._batch_size]))
                self._cond.wait_for(lambda: self._jobs_open == 0)
                self._settled = upto
                self._cond.notify_all()

    def _work(self) -> None:
        """A worker: up to ``max_in_flight`` batches are sent at once, each on its own connection."""
        while True:
            job = self._jobs.get()
            if job is None:
                return
            kind, model, records = job
            try:
                self._deliver(kind, model, records)
            finally:
                with self._cond:
                    self._jobs_open -= 1
                    self._cond.notify_all()

    def _is_sender_thread(self) -> bool:
        # An on_error handler runs on these threads: waiting there for room or a flush would wait
        # for itself.
        current = threading.current_thread()
        return current is self._thread or current in self._workers

    def _deliver(self, kind: str, model: str, records: List[Record]) -> None:
        result = IngestResult()
        failure: Optional[VigilError] = None
        try:
            batch = RecordBatch(records, self._columns and kind == "predictions")
            post_batch(
                self._transport,
                f"models/{quote_segment(model)}/{kind}",
                batch,
                max_batch_bytes=self._max_batch_bytes,
                result=result,
            )
        except VigilError as error:
            failure = error
        except Exception as error:  # a bug must not end the thread and strand the queue
            failure = VigilError(f"unexpected error: {error!r}", code="unexpected")
        # Records of a failed request: those after the ones already answered (splits go in order).
        answered = result.accepted + len(result.rejected)
        failed = records[answered:] if failure is not None else []
        with self._cond:
            self._held -= len(records)
            self._stats.accepted += result.accepted
            self._stats.rejected += len(result.rejected)
            self._stats.failed += len(failed)
            self._cond.notify_all()
        if result.rejected:
            first = result.rejected[0]
            self._report(
                ValidationError(
                    f"{len(result.rejected)} {kind} record(s) for model '{model}' were refused, "
                    f"e.g. id {first.id}: {first.error}",
                    status=200,
                    code="rejected_records",
                    rejected=result.rejected,
                    accepted=result.accepted,
                )
            )
        if failure is not None:
            self._report(DeliveryError(kind, model, failed, failure))

    def _report(self, error: VigilError) -> None:
        try:
            self._on_error(error)
        except Exception:
            logger.exception("vigil: the on_error handler failed")
