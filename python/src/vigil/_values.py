"""Turning Python, numpy and pandas values into what the server reads, copied at call time."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import secrets
import time
from decimal import Decimal
from typing import Any, Dict, Mapping, Optional, Union

Wire = Union[None, str, int, float, bool]


def now_ms() -> int:
    """Now in epoch milliseconds (the server reads the unit from the number's size)."""
    return int(time.time() * 1000)


def timestamp_value(value: Any, field: str = "timestamp") -> Union[str, int, float]:
    """A timestamp as sent: ISO-8601 text for datetimes (naive ones are UTC, as on the server),
    epoch numbers and text as given (the server checks them and says what is wrong)."""
    if isinstance(value, dt.datetime):
        if value != value:
            raise TypeError(f"{field}: NaT is not a time; leave the timestamp out to mean now")
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        raise TypeError(f"{field}: expected a datetime, ISO-8601 text or an epoch number, got a bool")
    if isinstance(value, (int, float, str)):
        return value
    converted = _numpy_item(value)
    if converted is not value:
        return timestamp_value(converted, field)
    raise TypeError(
        f"{field}: expected a datetime, ISO-8601 text or an epoch number, got {type(value).__name__}"
    )


def wire(value: Any, field: str) -> Wire:
    """A scalar as sent. NaN (pandas' and numpy's missing value) and None mean absent; infinities
    are sent as text, which the server flags as ``non_finite``; datetimes as ISO-8601 text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, (dt.datetime, dt.date)):
        if value != value:  # pandas' NaT: a missing time
            return None
        return str(timestamp_value(value, field))
    if isinstance(value, Decimal):
        return wire(float(value), field)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    converted = _numpy_item(value)
    if converted is not value:
        return wire(converted, field)
    raise TypeError(
        f"{field}: cannot send a value of type {type(value).__name__} "
        "(use a string, number, bool, datetime or None)"
    )


def _numpy_item(value: Any) -> Any:
    """numpy scalars and pandas' Timestamp / NaT / NA as plain Python values (same object otherwise)."""
    module = type(value).__module__
    if module.startswith("pandas"):
        name = type(value).__name__
        if name in ("NaTType", "NAType"):
            return None
        if hasattr(value, "to_pydatetime"):
            return value.to_pydatetime()
    if module.startswith("numpy") and hasattr(value, "item"):
        item = value.item()
        if isinstance(item, int) and type(value).__name__.startswith("datetime64"):
            # datetime64 in ns does not fit a datetime; its item() is epoch ns.
            return dt.datetime.fromtimestamp(item / 1e9, tz=dt.timezone.utc)
        return item
    return value


def wire_mapping(values: Any, field: str) -> Optional[Dict[str, Wire]]:
    """A copy of ``features``, ``segments`` or ``scores`` with every value converted."""
    if values is None:
        return None
    if type(values) is not dict and not isinstance(values, Mapping):
        raise TypeError(f"{field}: expected a mapping of names to values, got {type(values).__name__}")
    out: Dict[str, Wire] = {}
    for name, value in values.items():
        key = name if type(name) is str else str(name)
        kind = type(value)
        # The common cases inline: this runs for every value of every logged record.
        if (
            kind is str
            or kind is int
            or kind is bool
            or value is None
            or (kind is float and value - value == 0.0)  # finite: NaN and infinities give NaN
        ):
            out[key] = value
        else:
            out[key] = wire(value, f"{field}.{key}")
    return out


class _Ids:
    """Record ids: a random 96-bit prefix per process and a counter. As unique as UUIDs, at a
    fraction of their cost (``uuid4`` reads the system's random source for every id)."""

    def __init__(self) -> None:
        self._pid = -1
        self._prefix = ""
        self._counter = itertools.count()

    def new(self) -> str:
        pid = os.getpid()
        if pid != self._pid:  # a forked child must not repeat its parent's ids
            self._pid = pid
            self._prefix = secrets.token_hex(12)
            self._counter = itertools.count()
        return f"{self._prefix}-{next(self._counter)}"


new_id = _Ids().new
