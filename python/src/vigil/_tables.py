"""Tabular inputs (pandas DataFrames, pyarrow Tables, lists of dicts, dicts of lists) read as
columns of plain values, and the column mapping that says which column holds what."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._optional import loaded
from ._values import timestamp_value, wire
from .errors import ColumnNotFoundError

ROLES = ("id", "timestamp", "prediction", "score", "label", "version")


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of a table holds what. A role left as None takes the column of the same name
    when there is one (``id``, ``timestamp``, ``prediction``, ``score``, ``label``, ``version``);
    ``features`` None means every column with no other role; ``scores`` maps classes to the
    columns of their scores (default: columns named ``scores.<class>``)."""

    id: Optional[str] = None
    timestamp: Optional[str] = None
    prediction: Optional[str] = None
    score: Optional[str] = None
    label: Optional[str] = None
    version: Optional[str] = None
    features: Optional[Tuple[str, ...]] = None
    segments: Tuple[str, ...] = ()
    scores: Optional[Tuple[Tuple[str, str], ...]] = None

    @staticmethod
    def of(
        *,
        id: Optional[str] = None,
        timestamp: Optional[str] = None,
        prediction: Optional[str] = None,
        score: Optional[str] = None,
        label: Optional[str] = None,
        version: Optional[str] = None,
        features: Optional[Sequence[str]] = None,
        segments: Optional[Sequence[str]] = None,
        scores: Optional[Mapping[str, str]] = None,
    ) -> ColumnMapping:
        if isinstance(features, str) or isinstance(segments, str):
            raise TypeError("features and segments are lists of column names, not one string")
        return ColumnMapping(
            id=id,
            timestamp=timestamp,
            prediction=prediction,
            score=score,
            label=label,
            version=version,
            features=None if features is None else tuple(features),
            segments=tuple(segments or ()),
            scores=None if scores is None else tuple((str(k), v) for k, v in scores.items()),
        )

    def merged(self, **overrides: Any) -> ColumnMapping:
        """This mapping with the given (non-None) entries replaced."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if not given:
            return self
        other = ColumnMapping.of(**given)
        return replace(self, **{k: getattr(other, k) for k in given})


@dataclass
class Table:
    """Columns of plain values (None for missing), all of one length."""

    names: List[str]
    length: int
    _columns: Dict[str, List[Any]] = field(default_factory=dict)
    _source: Any = None

    def has(self, name: str) -> bool:
        return name in self.names

    def require(self, name: str, what: str) -> None:
        """A missing column is a ColumnNotFoundError that names the columns there are."""
        if name not in self.names:
            raise ColumnNotFoundError(
                f"{what}: no column {name!r}; the columns are {', '.join(map(repr, self.names)) or 'none'}"
            )

    def column(self, name: str, what: str) -> List[Any]:
        """The column's values as plain Python values (converted on first use)."""
        self.require(name, what)
        values = self._columns.get(name)
        if values is None:
            values = self._columns[name] = _read_column(self._source, name, what)
        return values

    def timestamps(self, name: str) -> List[Any]:
        return [None if v is None else timestamp_value(v, f"{name}") for v in self.column(name, "timestamp")]


def read_table(data: Any) -> Table:
    """Reads a pandas or polars DataFrame, pyarrow Table, list of dicts or dict of lists; columns
    are converted lazily."""
    pd = loaded("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        names = [str(c) for c in data.columns]
        if len(set(names)) != len(names):
            raise ValueError("the DataFrame has repeated column names")
        frame = data.set_axis(names, axis=1) if list(data.columns) != names else data
        return Table(names=names, length=len(frame), _source=frame)
    if type(data).__module__.startswith("polars") and hasattr(data, "to_arrow"):
        data = data.to_arrow()  # a polars DataFrame: its columns as Arrow, without a copy
    pa = loaded("pyarrow")
    if pa is not None and isinstance(data, pa.Table):
        names = [str(n) for n in data.column_names]
        if len(set(names)) != len(names):
            raise ValueError("the table has repeated column names")
        return Table(names=names, length=data.num_rows, _source=data)
    if isinstance(data, Mapping):
        lengths = {len(v) for v in data.values()}
        if len(lengths) > 1:
            raise ValueError(f"the columns have different lengths: {sorted(lengths)}")
        return Table(
            names=[str(k) for k in data],
            length=lengths.pop() if lengths else 0,
            _source={str(k): list(v) for k, v in data.items()},
        )
    if isinstance(data, (list, tuple)):
        keys: Dict[str, None] = {}
        for i, row in enumerate(data):
            if not isinstance(row, Mapping):
                raise TypeError(
                    f"row {i}: expected a mapping of column names to values, got {type(row).__name__}"
                )
            keys.update(dict.fromkeys(str(k) for k in row))
        rows: List[Mapping[Any, Any]] = list(data)
        return Table(names=list(keys), length=len(rows), _source={n: [r.get(n) for r in rows] for n in keys})
    raise TypeError(
        "expected a pandas or polars DataFrame, a pyarrow Table, a list of dicts or a dict of lists, "
        f"got {type(data).__name__}"
    )


def _read_column(source: Any, name: str, what: str) -> List[Any]:
    pd = loaded("pandas")
    if pd is not None and isinstance(source, pd.DataFrame):
        return _series_values(source[name], name)
    pa = loaded("pyarrow")
    arrow = pa is not None and isinstance(source, pa.Table)
    values = source.column(name).to_pylist() if arrow else source[name]
    return [wire(v, f"{name}[{i}]") for i, v in enumerate(values)]


def _series_values(series: Any, name: str) -> List[Any]:
    kind = series.dtype.kind
    if kind in ("i", "u", "b"):
        return list(series.tolist())
    if kind == "f":
        return [wire(v, name) for v in series.tolist()]
    if kind == "M":
        if getattr(series.dt, "tz", None) is None:
            series = series.dt.tz_localize("UTC")
        return [None if v is None or v != v else v.isoformat() for v in series.astype(object).tolist()]
    return [wire(v, f"{name}[{i}]") for i, v in enumerate(series.astype(object).tolist())]


def resolve(
    mapping: ColumnMapping, table: Table, *, need_prediction: bool, given: Sequence[str] = ()
) -> Dict[str, Any]:
    """The columns of each role: {role: column or None, 'features': [...], 'segments': [...],
    'scores': [(class, column)]}. The model's mapping serves tables of several shapes, so a role
    whose column this table lacks has none, unless the role is in ``given`` (named in this call);
    a named feature, segment or score column that is absent is a ColumnNotFoundError naming it."""
    roles: Dict[str, Any] = {}
    for role in ROLES:
        name = getattr(mapping, role)
        if name is not None and (table.has(name) or role in given or role == "prediction"):
            table.require(name, role)
            roles[role] = name
        else:
            roles[role] = role if table.has(role) else None
    if need_prediction and roles["prediction"] is None:
        raise ColumnNotFoundError(
            "prediction: no column 'prediction'; name it with prediction=... "
            f"(the columns are {', '.join(map(repr, table.names))})"
        )
    segments = list(mapping.segments)
    for s in segments:
        table.require(s, "segments")
    if mapping.scores is not None:
        scores = list(mapping.scores)
    else:
        scores = [(n[len("scores.") :], n) for n in table.names if n.startswith("scores.")]
    for _, column in scores:
        table.require(column, "scores")
    used = {v for v in roles.values() if v is not None} | set(segments) | {c for _, c in scores}
    if mapping.features is not None:
        features = list(mapping.features)
        for f in features:
            table.require(f, "features")
    else:
        features = [n for n in table.names if n not in used]
    roles["features"] = features
    roles["segments"] = segments
    roles["scores"] = scores
    return roles
