"""``client.model(name)``: logging to one model and reading what the server holds about it."""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import CancelledError, ThreadPoolExecutor
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Type,
    TypeVar,
    Union,
    overload,
)

from ._arrow import ArrowBatch, arrow_source, label_table, prediction_table
from ._bodies import json_body
from ._http import CONTENT_TYPES, quote_segment
from ._optional import loaded, optional, require_pandas
from ._sender import Batch, RecordBatch, post_batch
from ._tables import ColumnMapping, read_table, resolve
from ._values import new_id, now_ms, timestamp_value, wire, wire_mapping
from .errors import ValidationError
from .types import (
    Alert,
    Comparison,
    IngestResult,
    ModelHealth,
    ModelInfo,
    ModelVersion,
    Monitor,
    MonitorResult,
    Page,
    Prediction,
    RecordList,
    ReferenceDataset,
    ShadowIngestResult,
    TrafficWindow,
    from_json,
    record_list,
)

if TYPE_CHECKING:
    from .client import Client

T = TypeVar("T")
W = TypeVar("W")

TimeLike = Union[str, int, float, Any]


class ColumnBatch(Batch):
    """Predictions of a table, sent by column straight from its columns."""

    content_type = CONTENT_TYPES["columns"]

    def __init__(self, length: int, fields: Dict[str, Any], groups: Dict[str, Dict[str, List[Any]]]) -> None:
        self._length = length
        self._fields = fields  # a list per row, or one scalar for every row
        self._groups = groups

    def __len__(self) -> int:
        return self._length

    def body(self, start: int, end: int) -> bytes:
        out: Dict[str, Any] = {"length": end - start}
        for name, value in self._fields.items():
            out[name] = value[start:end] if isinstance(value, list) else value
        for group, columns in self._groups.items():
            if columns:
                out[group] = {n: values[start:end] for n, values in columns.items()}
        return json_body(out)


def iter_pages(
    client: Client, path: str, query: Mapping[str, Any], cls: Type[T], limit: Optional[int]
) -> Iterator[T]:
    """Every record of a paged listing, page after page, at most ``limit``."""
    cursor: Optional[str] = None
    count = 0
    while True:
        page_query = {k: _query(v) for k, v in query.items()}
        if limit is not None:
            page_query["limit"] = min(1000, limit - count)
        page_query["cursor"] = cursor
        answer = client._request("GET", path, query=page_query, idempotent=True)
        for value in answer["data"]:
            yield from_json(cls, value)
            count += 1
            if limit is not None and count >= limit:
                return
        cursor = answer.get("next_cursor")
        if not cursor or not answer["data"]:
            return


def _query(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return timestamp_value(value, "time")


class Model:
    """Logs to and reads from one model. Obtain it with ``client.model(name, **columns)``."""

    def __init__(self, client: Client, name: str, **columns: Any) -> None:
        self.client = client
        self.name = name
        self.columns = ColumnMapping.of(**columns)
        self._path = f"models/{quote_segment(name)}"

    def __repr__(self) -> str:
        return f"vigil.Model({self.name!r})"

    # -- logging ------------------------------------------------------------------------------

    def log(
        self,
        *,
        features: Mapping[str, Any],
        prediction: Any,
        score: Optional[float] = None,
        scores: Optional[Mapping[str, float]] = None,
        label: Any = None,
        id: Optional[str] = None,
        timestamp: Optional[TimeLike] = None,
        version: Optional[str] = None,
        segments: Optional[Mapping[str, Any]] = None,
    ) -> str:
        """Queues one prediction and returns at once with its id (the given one or a new UUID, to
        pass to ``log_label`` later). The timestamp defaults to now. Values are copied now; a value
        that cannot be sent raises TypeError here rather than failing later."""
        record: Dict[str, Any] = {
            "id": _record_id(id),
            "timestamp": now_ms() if timestamp is None else timestamp_value(timestamp),
            "prediction": wire(prediction, "prediction"),
            "features": wire_mapping(features, "features") or {},
        }
        if record["prediction"] is None:
            raise TypeError("prediction: a prediction is required (a string, number or bool)")
        if score is not None:
            record["score"] = wire(score, "score")
        if scores is not None:
            record["scores"] = wire_mapping(scores, "scores")
        if label is not None:
            record["label"] = wire(label, "label")
        if version is not None:
            record["version"] = str(version)
        if segments is not None:
            record["segments"] = wire_mapping(segments, "segments")
        self.client._enqueue("predictions", self.name, record)
        return str(record["id"])

    def log_label(self, id: str, label: Any, *, timestamp: Optional[TimeLike] = None) -> None:
        """Queues the true outcome of prediction ``id`` (sent in the background, like ``log``)."""
        value = wire(label, "label")
        if value is None:
            raise TypeError("label: a label is required (a string, number or bool)")
        record: Dict[str, Any] = {"id": _record_id(id), "label": value}
        if timestamp is not None:
            record["timestamp"] = timestamp_value(timestamp)
        self.client._enqueue("labels", self.name, record)

    def log_batch(
        self, data: Any, *, raise_on_rejected: bool = True, chunk_size: int = 20_000, **columns: Any
    ) -> IngestResult:
        """Sends a table of predictions now (not queued), by column, in chunks of ``chunk_size`` rows
        (up to the client's ``max_in_flight`` at a time when no id repeats; see ``_send_chunks``).

        ``data`` is a pandas or polars DataFrame, a pyarrow Table, a list of dicts or a dict of
        lists (with pyarrow installed, tables go as Arrow IPC, without a Python object per value); the
        column mapping is the model's (``client.model(name, ...)``) with ``columns`` overriding
        it. Rows without an id get a new UUID (``result.ids`` has every row's id), rows without a
        timestamp get now. When the server refuses some rows, the others are stored and
        :class:`vigil.ValidationError` is raised with the refused rows (their index in ``data``),
        unless ``raise_on_rejected`` is False.
        """
        table = read_table(data)
        roles = resolve(self.columns.merged(**columns), table, need_prediction=True, given=list(columns))
        # Arrow IPC when pyarrow can hold the table's columns: no Python object per value.
        source = arrow_source(data) if self.client._arrow else None
        built = prediction_table(source, roles, now_ms()) if source is not None else None
        if built is not None:
            arrow_table, arrow_ids = built
            result = IngestResult(ids=arrow_ids)
            try:
                self._send_chunks(
                    f"{self._path}/predictions",
                    ArrowBatch(arrow_table),
                    chunk_size,
                    result,
                    at_once=_unique(arrow_ids),
                )
                return _checked(result, "prediction", raise_on_rejected)
            except ValidationError as error:
                if error.status != 415:
                    raise
                # A server without Arrow: JSON from now on, this table included (nothing was stored).
                self.client._arrow = False
        ids = (
            [_record_id(v) if v is not None else new_id() for v in table.column(roles["id"], "id")]
            if roles["id"]
            else [new_id() for _ in range(table.length)]
        )
        fields: Dict[str, Any] = {"id": ids}
        fields["timestamp"] = table.timestamps(roles["timestamp"]) if roles["timestamp"] else now_ms()
        for role in ("prediction", "score", "label", "version"):
            if roles[role]:
                fields[role] = table.column(roles[role], role)
        groups = {
            "features": {f: table.column(f, "features") for f in roles["features"]},
            "segments": {s: table.column(s, "segments") for s in roles["segments"]},
            "scores": {c: table.column(col, "scores") for c, col in roles["scores"]},
        }
        batch = ColumnBatch(table.length, fields, groups)
        result = IngestResult(ids=ids)
        self._send_chunks(f"{self._path}/predictions", batch, chunk_size, result, at_once=_unique(ids))
        return _checked(result, "prediction", raise_on_rejected)

    def log_labels(self, data: Any, *, raise_on_rejected: bool = True, **columns: Any) -> IngestResult:
        """Sends true outcomes now from a table with an id and a label column (and optionally a
        timestamp column); the mapping is the model's, ``columns`` overriding it."""
        table = read_table(data)
        mapping = self.columns.merged(**columns)
        id_column = mapping.id or "id"
        label_column = mapping.label or "label"
        table.require(id_column, "id")
        table.require(label_column, "label")
        # The label's own time: a column named in this call, else the mapping's timestamp column
        # when this table has it; without one the server takes the time of arrival.
        stamp_column = columns.get("timestamp") or next(
            (c for c in (mapping.timestamp, "timestamp") if c is not None and table.has(c)), None
        )
        if stamp_column:
            table.require(stamp_column, "timestamp")
        source = arrow_source(data) if self.client._arrow else None
        built = label_table(source, id_column, label_column, stamp_column) if source is not None else None
        if built is not None:
            arrow_table, arrow_ids = built
            result = IngestResult(ids=arrow_ids)
            try:
                self._send_chunks(f"{self._path}/labels", ArrowBatch(arrow_table), 50_000, result)
                return _checked(result, "label", raise_on_rejected)
            except ValidationError as error:
                if error.status != 415:
                    raise
                self.client._arrow = False  # a server without Arrow: JSON from now on
        ids = table.column(id_column, "id")
        labels = table.column(label_column, "label")
        stamps = table.timestamps(stamp_column) if stamp_column else None
        records: List[Dict[str, Any]] = []
        for i in range(table.length):
            record: Dict[str, Any] = {
                "id": None if ids[i] is None else _record_id(ids[i]),
                "label": labels[i],
            }
            if stamps is not None and stamps[i] is not None:
                record["timestamp"] = stamps[i]
            records.append(record)
        result = IngestResult(ids=[str(r["id"]) for r in records])
        self._send_chunks(f"{self._path}/labels", RecordBatch(records, False), 50_000, result)
        return _checked(result, "label", raise_on_rejected)

    def upload_reference(
        self,
        data: Any,
        *,
        dataset: str = "default",
        version: Optional[str] = None,
        replace: bool = False,
        raise_on_rejected: bool = True,
        chunk_size: int = 100_000,
        **columns: Any,
    ) -> IngestResult:
        """Uploads reference data (the training or validation set) to ``dataset``.

        ``data`` is a table (as for ``log_batch``) or the path of a CSV, Parquet, JSON or NDJSON
        file (``.gz`` too), sent as it is. The output columns come from the mapping (the model's,
        ``columns`` overriding it); with ``features`` given, only the mapped columns are sent, else
        every other column is a feature (or a segment the schema lists). ``replace`` replaces the
        dataset's rows. Re-running the same upload is safe: the server recognises it and stores
        nothing twice. A large table goes in chunks of ``chunk_size`` rows, each stored entirely or
        not at all.
        """
        mapping = self.columns.merged(**columns)
        query: Dict[str, Any] = {"dataset": dataset, "version": version}
        for role in ("id", "timestamp", "prediction", "score", "label"):
            query[f"{role}_column"] = getattr(mapping, role)
        path = f"{self._path}/reference"
        if isinstance(data, (str, Path)):
            if mapping.features is None and not mapping.segments and mapping.scores is None:
                return self._upload_file(Path(data), path, query, replace, raise_on_rejected)
            data = _read_file(Path(data))
        table = read_table(data)
        roles = resolve(mapping, table, need_prediction=False, given=list(columns))
        names: Dict[str, str] = {}  # column -> name sent
        for role in ("id", "timestamp", "prediction", "score", "label"):
            query[f"{role}_column"] = roles[role]  # only the roles this table has
            if roles[role]:
                names[roles[role]] = roles[role]
        explicit = mapping.features is not None
        for f in roles["features"]:
            names[f] = f"features.{f}" if explicit else f
        for s in roles["segments"]:
            names[s] = f"segments.{s}"
        for c, column in roles["scores"]:
            names[column] = f"scores.{c}"
        result = IngestResult()
        pq_batch = _ParquetBatch.of(data, names) if loaded("pandas") is not None else None
        batch: Batch
        if pq_batch is not None:
            batch = pq_batch
        else:
            rows = [
                {sent: table.column(col, "reference")[i] for col, sent in names.items()}
                for i in range(table.length)
            ]
            batch = RecordBatch(rows, False)
        for start in range(0, max(len(batch), 1), chunk_size):
            end = min(len(batch), start + chunk_size)
            query["replace"] = replace if start == 0 else None
            post_batch(
                self.client._transport,
                path,
                batch,
                max_batch_bytes=max(self.client.max_batch_bytes, 64 << 20),
                result=result,
                start=start,
                end=end,
                query=query,
                # A key per part, from its rows and place: a re-run upload is recognised and stores
                # nothing, while equal parts at different places are both stored.
                headers=lambda a, b, body: {"Idempotency-Key": f"{hashlib.sha256(body).hexdigest()}:{a}-{b}"},
            )
        return _checked(result, "reference row", raise_on_rejected)

    def _upload_file(
        self, file: Path, path: str, query: Dict[str, Any], replace: bool, raise_on_rejected: bool
    ) -> IngestResult:
        suffixes = [s.lower() for s in file.suffixes]
        encoding = None
        if suffixes and suffixes[-1] == ".gz":
            encoding = "gzip"
            suffixes = suffixes[:-1]
        kind = {
            ".csv": "csv",
            ".parquet": "parquet",
            ".pq": "parquet",
            ".json": "json",
            ".ndjson": "ndjson",
            ".jsonl": "ndjson",
        }.get(suffixes[-1] if suffixes else "")
        if kind is None:
            raise ValueError(
                f"{file}: cannot tell the format from the name; use .csv, .parquet, .json, .ndjson "
                "(optionally .gz), or pass a DataFrame"
            )
        query["replace"] = replace
        answer = self.client._request(
            "POST",
            path,
            query=query,
            body=file.read_bytes(),
            content_type=CONTENT_TYPES[kind],
            content_encoding=encoding,
            idempotent=True,
        )
        result = IngestResult()
        result.add(answer, 0)
        return _checked(result, "reference row", raise_on_rejected)

    def _send_chunks(
        self, path: str, batch: Batch, chunk_size: int, result: IngestResult, *, at_once: bool = False
    ) -> None:
        """Sends the batch in chunks, in order; with ``at_once``, up to the client's
        ``max_in_flight`` chunks at a time, so that the next chunk's body is built and sent while
        the server stores the last (only for rows whose ids all differ: which copy of a repeated
        id is stored, or which label of one wins, must not depend on which request lands first).
        On a failure, the chunks not yet sent are not, and the first failed chunk's error is
        raised after the others have ended; ``result`` has what was stored."""
        starts = list(range(0, len(batch), chunk_size))

        def send(start: int, into: IngestResult) -> None:
            post_batch(
                self.client._transport,
                path,
                batch,
                max_batch_bytes=self.client.max_batch_bytes,
                result=into,
                start=start,
                end=min(len(batch), start + chunk_size),
            )

        workers = min(self.client.max_in_flight, len(starts)) if at_once else 1
        if workers <= 1:
            for start in starts:
                send(start, result)
            return
        parts = [IngestResult() for _ in starts]
        failure: Optional[BaseException] = None
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(send, start, part) for start, part in zip(starts, parts)]
            for future in futures:
                try:
                    future.result()
                except CancelledError:
                    pass
                except BaseException as error:  # raised below, once the others have ended
                    if failure is None:
                        failure = error
                        for later in futures:
                            later.cancel()
        for part in parts:
            result.merge(part)
        if failure is not None:
            raise failure

    @overload
    def monitor(self, target: None = None, **options: Any) -> Callable[[W], W]: ...

    @overload
    def monitor(self, target: W, **options: Any) -> W: ...

    def monitor(self, target: Any = None, **options: Any) -> Any:
        """Logs what a predict function or a scikit-learn-like model is given and returns.

        As a decorator (``@model.monitor`` or ``@model.monitor(version="v2")``) on a function: its
        arguments are the features (one mapping argument is taken as the features themselves; one
        DataFrame or 2-D array as a batch, one prediction per row) and its result the prediction
        (a mapping with ``prediction``/``score``/``scores`` keys is read as such). On an object
        with ``predict``/``predict_proba`` (``model.monitor(clf)``): a wrapper whose ``predict`` and
        ``predict_proba`` log each row. The result is returned unchanged; logging problems go to
        the client's ``on_error`` and never break the prediction.
        """
        from ._monitor import monitor

        return monitor(self, target, **options)

    # -- registry reads -----------------------------------------------------------------------

    def info(self) -> ModelInfo:
        """The model as registered (task, schema, tags); NotFoundError when it is not."""
        return from_json(ModelInfo, self.client._request("GET", self._path, idempotent=True))

    def versions(self) -> RecordList[ModelVersion]:
        return record_list(
            ModelVersion, self.client._request("GET", f"{self._path}/versions", idempotent=True)["data"]
        )

    def create_version(
        self,
        name: str,
        *,
        artifact_uri: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        metrics: Optional[Mapping[str, float]] = None,
        tags: Optional[Mapping[str, str]] = None,
        description: Optional[str] = None,
    ) -> ModelVersion:
        body: Dict[str, Any] = {"name": name}
        for key, value in (
            ("artifact_uri", artifact_uri),
            ("params", params),
            ("metrics", metrics),
            ("tags", tags),
            ("description", description),
        ):
            if value is not None:
                body[key] = dict(value) if isinstance(value, Mapping) else value
        answer = self.client._request(
            "POST", f"{self._path}/versions", body=json_body(body), idempotent=False
        )
        return from_json(ModelVersion, answer)

    # -- champion / challenger ----------------------------------------------------------------

    def compare(
        self,
        a: str,
        b: str,
        *,
        start: Optional[TimeLike] = None,
        end: Optional[TimeLike] = None,
        window: Optional[str] = None,
        confidence: Optional[float] = None,
    ) -> Comparison:
        """Compares versions (or aliases) ``a`` and ``b`` paired, on the predictions both made for the
        same ids between ``start`` and ``end`` (default: the last 7 days), per ``window`` too
        (``1h``, ``1d``...): agreement and estimated performance before labels, and each metric's
        difference b - a with a paired interval and test once labelled."""
        query = {
            "a": a,
            "b": b,
            "from": _query(start),
            "to": _query(end),
            "window": window,
            "confidence": confidence,
        }
        answer = self.client._request("GET", f"{self._path}/compare", query=query, idempotent=True)
        return Comparison.of(answer)

    def log_shadow_predictions(
        self, version: str, predictions: Sequence[Mapping[str, Any]]
    ) -> ShadowIngestResult:
        """Logs a shadow version's predictions (``id``, ``prediction``, optional ``score``, ``scores``,
        ``timestamp``) for ids the serving version already logged, at most 10,000 per call. Safe to
        retry: an id already stored for the version is stored once."""
        rows: List[Dict[str, Any]] = []
        for p in predictions:
            row: Dict[str, Any] = {
                "id": _record_id(p.get("id")),
                "prediction": wire(p.get("prediction"), "prediction"),
            }
            if p.get("score") is not None:
                row["score"] = wire(p["score"], "score")
            if p.get("scores") is not None:
                row["scores"] = {str(k): wire(v, f"scores.{k}") for k, v in p["scores"].items()}
            if p.get("timestamp") is not None:
                row["timestamp"] = timestamp_value(p["timestamp"])
            rows.append(row)
        answer = self.client._request(
            "POST",
            f"{self._path}/shadow-predictions",
            body=json_body({"version": version, "predictions": rows}),
            idempotent=True,
        )
        return from_json(ShadowIngestResult, answer)

    # -- predictions --------------------------------------------------------------------------

    def prediction(self, id: str) -> Prediction:
        """One stored prediction with its label once known; NotFoundError when there is none."""
        answer = self.client._request(
            "GET", f"{self._path}/predictions/{quote_segment(str(id))}", idempotent=True
        )
        return from_json(Prediction, answer)

    def predictions(
        self,
        *,
        start: Optional[TimeLike] = None,
        end: Optional[TimeLike] = None,
        version: Optional[str] = None,
        limit: Optional[int] = 10_000,
    ) -> RecordList[Prediction]:
        """Stored predictions in timestamp order, ``start`` inclusive, ``end`` exclusive, at most
        ``limit`` (None: all, page after page). ``.to_pandas()`` makes a DataFrame of them."""
        return RecordList(self.iter_predictions(start=start, end=end, version=version, limit=limit))

    def iter_predictions(
        self,
        *,
        start: Optional[TimeLike] = None,
        end: Optional[TimeLike] = None,
        version: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> Iterator[Prediction]:
        """Like :meth:`predictions`, fetching one page at a time as it is iterated."""
        query = {"from": start, "to": end, "version": version}
        return iter_pages(self.client, f"{self._path}/predictions", query, Prediction, limit)

    def predictions_page(
        self,
        *,
        cursor: Optional[str] = None,
        limit: int = 1000,
        start: Optional[TimeLike] = None,
        end: Optional[TimeLike] = None,
        version: Optional[str] = None,
    ) -> Page[Prediction]:
        """One page; pass its ``next_cursor`` back as ``cursor``."""
        query = {
            "from": _query(start),
            "to": _query(end),
            "version": version,
            "limit": limit,
            "cursor": cursor,
        }
        answer = self.client._request("GET", f"{self._path}/predictions", query=query, idempotent=True)
        return Page(data=record_list(Prediction, answer["data"]), next_cursor=answer.get("next_cursor"))

    def traffic(
        self,
        *,
        bucket: str = "hour",
        start: Optional[TimeLike] = None,
        end: Optional[TimeLike] = None,
        version: Optional[str] = None,
    ) -> RecordList[TrafficWindow]:
        """Prediction and labeled counts per ``minute``, ``hour``, ``day`` or ``week``."""
        query = {"bucket": bucket, "from": _query(start), "to": _query(end), "version": version}
        answer = self.client._request("GET", f"{self._path}/traffic", query=query, idempotent=True)
        return record_list(TrafficWindow, answer["data"])

    def reference_datasets(self) -> RecordList[ReferenceDataset]:
        """The model's reference datasets with their row counts."""
        answer = self.client._request("GET", f"{self._path}/reference", idempotent=True)
        return record_list(ReferenceDataset, answer["data"])

    # -- monitoring reads ---------------------------------------------------------------------

    def monitors(self) -> RecordList[Monitor]:
        return record_list(
            Monitor, self.client._request("GET", f"{self._path}/monitors", idempotent=True)["data"]
        )

    def results(
        self,
        *,
        monitor: Optional[str] = None,
        feature: Optional[str] = None,
        metric: Optional[str] = None,
        status: Optional[str] = None,
        version: Optional[str] = None,
        segment: Optional[str] = None,
        start: Optional[TimeLike] = None,
        end: Optional[TimeLike] = None,
        limit: Optional[int] = 10_000,
    ) -> RecordList[MonitorResult]:
        """Monitor results in window order (``start`` inclusive, ``end`` exclusive on the window
        start), at most ``limit`` (None: all)."""
        query = {
            "monitor": monitor,
            "feature": feature,
            "metric": metric,
            "status": status,
            "version": version,
            "segment": segment,
            "from": start,
            "to": end,
        }
        return RecordList(iter_pages(self.client, f"{self._path}/results", query, MonitorResult, limit))

    def health(self) -> ModelHealth:
        """This model's entry of ``client.health()``."""
        for entry in self.client.health():
            if entry.model == self.name:
                return entry
        from .errors import NotFoundError

        raise NotFoundError(f"Model '{self.name}' not found", status=404, code="not_found")

    def alerts(
        self, *, state: Optional[str] = None, severity: Optional[str] = None, limit: Optional[int] = None
    ) -> RecordList[Alert]:
        return self.client.alerts(model=self.name, state=state, severity=severity, limit=limit)


def _record_id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        if value is None:
            return new_id()
        converted = wire(value, "id")
        if not isinstance(converted, (str, int)) or isinstance(converted, bool):
            raise TypeError(f"id: expected a string, got {type(value).__name__}")
        value = converted
    return str(value)


def _checked(result: IngestResult, what: str, raise_on_rejected: bool) -> IngestResult:
    if raise_on_rejected and result.rejected:
        shown = "; ".join(f"row {r.index} (id {r.id}): {r.error}" for r in result.rejected[:5])
        more = f"; and {len(result.rejected) - 5} more" if len(result.rejected) > 5 else ""
        raise ValidationError(
            f"{len(result.rejected)} {what}(s) refused, {result.accepted} stored: {shown}{more}",
            status=200,
            code="rejected_records",
            rejected=result.rejected,
            accepted=result.accepted,
        )
    return result


def _read_file(file: Path) -> Any:
    pd = require_pandas("mapping features or segments of a file")
    name = file.name.lower()
    name = name[:-3] if name.endswith(".gz") else name
    if name.endswith((".parquet", ".pq")):
        return pd.read_parquet(file)
    if name.endswith((".ndjson", ".jsonl")):
        return pd.read_json(file, lines=True)
    if name.endswith(".json"):
        return pd.read_json(file)
    return pd.read_csv(file)


class _ParquetBatch(Batch):
    """A DataFrame's mapped columns, sent as Parquet (typed and compact) when pyarrow is there."""

    content_type = CONTENT_TYPES["parquet"]

    def __init__(self, table: Any, pq: Any) -> None:
        self._table = table
        self._pq = pq

    @staticmethod
    def of(data: Any, names: Mapping[str, str]) -> Optional[_ParquetBatch]:
        pd = loaded("pandas")
        if pd is None or not isinstance(data, pd.DataFrame):
            return None
        pa = optional("pyarrow")
        pq = optional("pyarrow.parquet")
        if pa is None or pq is None:
            return None
        frame = data.set_axis([str(c) for c in data.columns], axis=1)[list(names)].rename(columns=dict(names))
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return None  # mixed types in a column: sent as JSON rows, value by value
        if any(pa.types.is_nested(f.type) for f in table.schema):
            return None
        return _ParquetBatch(table, pq)

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def body(self, start: int, end: int) -> bytes:
        out = io.BytesIO()
        self._pq.write_table(self._table.slice(start, end - start), out)
        return out.getvalue()


def _unique(ids: Sequence[Any]) -> bool:
    """Whether no id is repeated (rows of one table sent at once must not race for one id)."""
    return len(set(ids)) == len(ids)
