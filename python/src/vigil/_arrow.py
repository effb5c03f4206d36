"""Tables sent as Arrow IPC (``application/vnd.apache.arrow.stream``), column by column.

A pandas or polars DataFrame or a pyarrow Table becomes one pyarrow Table with the server's column
names (``id``, ``timestamp``, ``features.<name>``, ...) and is sliced into request bodies as it is:
numbers stay in their buffers, with no Python object per value. The values mean what the JSON path
sends: NaN is a missing value, ids are text, and a column whose Arrow type would read differently
from its JSON form (datetimes or nested values as features, decimals, binary) is not sent this way;
then the caller sends the table as JSON, value by value.
"""

from __future__ import annotations

import io
from typing import Any, Dict, List, Optional, Tuple

from ._optional import loaded, optional
from ._sender import Batch
from ._values import new_id

ARROW_CONTENT_TYPE = "application/vnd.apache.arrow.stream"


def arrow_source(data: Any) -> Any:
    """``data`` as a pyarrow Table when pyarrow is installed and ``data`` is a pandas or polars
    DataFrame or a pyarrow Table that Arrow can hold; else None."""
    pa = optional("pyarrow")
    if pa is None:
        return None
    if isinstance(data, pa.Table):
        return data
    pd = loaded("pandas")
    try:
        if pd is not None and isinstance(data, pd.DataFrame):
            names = [str(c) for c in data.columns]
            frame = data.set_axis(names, axis=1) if list(data.columns) != names else data
            # NaN in a float column becomes null, as the JSON path leaves it out.
            return pa.Table.from_pandas(frame, preserve_index=False)
        if type(data).__module__.startswith("polars") and hasattr(data, "to_arrow"):
            return data.to_arrow()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None  # e.g. an object column mixing numbers and text: sent as JSON
    return None


def _plain(pa: Any, kind: Any, timestamps: bool) -> bool:
    """Whether a column of this type reads on the server as its JSON form does."""
    types = pa.types
    if types.is_dictionary(kind):
        return bool(types.is_string(kind.value_type) or types.is_large_string(kind.value_type))
    if timestamps and (types.is_timestamp(kind) or types.is_date(kind)):
        return True
    return bool(
        types.is_null(kind)
        or types.is_boolean(kind)
        or types.is_integer(kind)
        or types.is_floating(kind)
        or types.is_string(kind)
        or types.is_large_string(kind)
    )


def _without_nan(pa: Any, column: Any) -> Any:
    """A float column with NaN as null (the JSON path sends NaN as a missing value)."""
    if not pa.types.is_floating(column.type):
        return column
    pc: Any = optional("pyarrow.compute")
    return pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)


def prediction_table(table: Any, roles: Dict[str, Any], now: int) -> Optional[Tuple[Any, List[str]]]:
    """The predictions of ``table`` (pyarrow) under the server's column names, and every row's id;
    None when a column cannot be sent as Arrow with the meaning it has as JSON."""
    pa = optional("pyarrow")
    if pa is None:
        return None
    pc: Any = optional("pyarrow.compute")
    names: List[str] = []
    columns: List[Any] = []

    def add(name: str, source: str, timestamps: bool = False) -> bool:
        column = table.column(source)
        if not _plain(pa, column.type, timestamps):
            return False
        names.append(name)
        columns.append(_without_nan(pa, column))
        return True

    length = table.num_rows
    if roles["id"]:
        given = table.column(roles["id"])
        if not (pa.types.is_string(given.type) or pa.types.is_large_string(given.type)):
            if not pa.types.is_integer(given.type):
                return None
            given = pc.cast(given, pa.string())
        ids: List[Optional[str]] = given.to_pylist()
        ids = [new_id() if v is None else v for v in ids]
    else:
        ids = [new_id() for _ in range(length)]
    names.append("id")
    columns.append(pa.array(ids, pa.string()))
    if roles["timestamp"]:
        if not add("timestamp", roles["timestamp"], timestamps=True):
            return None
    else:
        names.append("timestamp")
        columns.append(pa.array([now] * length, pa.int64()))
    for role in ("prediction", "score", "label", "version"):
        if roles[role] and not add(role, roles[role]):
            return None
    for feature in roles["features"]:
        if not add(f"features.{feature}", feature):
            return None
    for segment in roles["segments"]:
        if not add(f"segments.{segment}", segment):
            return None
    for cls, column in roles["scores"]:
        if not add(f"scores.{cls}", column):
            return None
    return pa.Table.from_arrays(columns, names=names), [str(i) for i in ids]


def label_table(
    table: Any, id_column: str, label_column: str, stamp_column: Optional[str]
) -> Optional[Tuple[Any, List[str]]]:
    """Labels of ``table`` (pyarrow) as ``id``, ``label`` and ``timestamp`` columns, and every
    row's id (a new one where a row has none, as the JSON path gives it); None when a column
    cannot be sent as Arrow with the meaning it has as JSON."""
    pa: Any = optional("pyarrow")
    pc: Any = optional("pyarrow.compute")
    given = table.column(id_column)
    if not (pa.types.is_string(given.type) or pa.types.is_large_string(given.type)):
        if not pa.types.is_integer(given.type):
            return None
        given = pc.cast(given, pa.string())
    ids = [new_id() if v is None else str(v) for v in given.to_pylist()]
    label = table.column(label_column)
    if not _plain(pa, label.type, False):
        return None
    names = ["id", "label"]
    columns = [pa.array(ids, pa.string()), _without_nan(pa, label)]
    if stamp_column is not None:
        stamps = table.column(stamp_column)
        if not _plain(pa, stamps.type, True):
            return None
        names.append("timestamp")
        columns.append(_without_nan(pa, stamps))
    return pa.Table.from_arrays(columns, names=names), ids


class ArrowBatch(Batch):
    """Rows of a pyarrow Table, each request body an Arrow IPC stream of a slice of it."""

    content_type = ARROW_CONTENT_TYPE

    def __init__(self, table: Any) -> None:
        self._table = table
        self._pa: Any = optional("pyarrow")

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def body(self, start: int, end: int) -> bytes:
        sink = io.BytesIO()
        part = self._table.slice(start, end - start)
        with self._pa.ipc.new_stream(sink, part.schema) as writer:
            writer.write_table(part)
        return sink.getvalue()
