"""Request bodies: predictions by column (``application/vnd.vigil.columns+json``) or NDJSON."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Sequence

Record = Dict[str, Any]

_FIELDS = ("id", "timestamp", "version", "prediction", "score", "label")
_GROUPS = ("scores", "features", "segments")
_EMPTY: Mapping[str, Any] = {}


def _dumps(value: Any) -> bytes:
    # Values were converted when logged (NaN became None), so strict JSON cannot fail here.
    return json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode("utf-8")


def _put(out: Dict[str, Any], name: str, column: List[Any]) -> None:
    """A column as a list, one scalar when every row has the same value, nothing when all are absent."""
    first = column[0]
    if all(v is None for v in column):
        return
    if first is not None and all(v == first and type(v) is type(first) for v in column):
        out[name] = first
    else:
        out[name] = column


def columns_body(records: Sequence[Record]) -> bytes:
    """One batch of prediction records laid out by column; a value absent from a row is null there
    (the server reads null as absent)."""
    out: Dict[str, Any] = {"length": len(records)}
    for name in _FIELDS:
        _put(out, name, [r.get(name) for r in records])
    for group in _GROUPS:
        names: Dict[str, None] = {}
        for r in records:
            values = r.get(group)
            if values:
                names.update(dict.fromkeys(values))
        if names:
            maps = [r.get(group) or _EMPTY for r in records]
            out[group] = {name: [m.get(name) for m in maps] for name in names}
    return _dumps(out)


def ndjson_body(records: Sequence[Mapping[str, Any]]) -> bytes:
    return b"".join(_dumps(r) + b"\n" for r in records)


def json_body(value: Any) -> bytes:
    return _dumps(value)
