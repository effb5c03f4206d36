"""What the server answers, as plain dataclasses (field names are the API's JSON names)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, Generic, Iterable, List, Mapping, Optional, TypeVar, Union

from ._optional import require_pandas

Scalar = Union[str, int, float, bool]

T = TypeVar("T")


def from_json(cls: type[T], value: Any) -> T:
    """Builds dataclass ``cls`` from a JSON object, ignoring fields it does not know (newer servers)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(value).__name__}")
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in value.items() if k in names})


class RecordList(List[T], Generic[T]):
    """A list of records that turns into a pandas DataFrame with :meth:`to_pandas`."""

    def to_pandas(self) -> Any:
        """One row per record; nested objects (``features``, ``segments``...) become ``a.b`` columns."""
        pd = require_pandas("to_pandas()")
        rows = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else r for r in self]  # type: ignore[arg-type]
        if not rows:
            return pd.DataFrame()
        return pd.json_normalize(rows, max_level=1)


@dataclass
class RejectedRecord:
    """A record the server refused: its position in what was sent, its id and why."""

    index: int
    id: Optional[str]
    error: str


@dataclass
class IngestResult:
    """The server's answer to an upload; accepted records are durable."""

    accepted: int = 0
    rejected: List[RejectedRecord] = field(default_factory=list)
    quality_violations: int = 0
    violations_by_kind: Dict[str, int] = field(default_factory=dict)
    #: Ids of the records sent (the given ones, or the ones generated for them).
    ids: List[str] = field(default_factory=list)
    #: Reference uploads: what schema inference made of each column (None when nothing was inferred).
    inferred: Optional[Dict[str, Any]] = None
    #: Reference uploads: the upload had been applied before and stored nothing this time.
    replayed: bool = False

    def merge(self, other: IngestResult) -> None:
        """Adds the counts and refused rows of another part of the same upload (indices as they are)."""
        self.accepted += other.accepted
        self.rejected.extend(other.rejected)
        self.quality_violations += other.quality_violations
        for kind, count in other.violations_by_kind.items():
            self.violations_by_kind[kind] = self.violations_by_kind.get(kind, 0) + count

    def add(self, answer: Mapping[str, Any], offset: int) -> None:
        """Adds the answer to a request that sent records ``offset`` onwards."""
        self.accepted += int(answer.get("accepted", 0))
        for r in answer.get("rejected", []):
            self.rejected.append(
                RejectedRecord(index=int(r["index"]) + offset, id=r.get("id"), error=r["error"])
            )
        self.quality_violations += int(answer.get("quality_violations", 0) or 0)
        for kind, count in (answer.get("violations_by_kind") or {}).items():
            self.violations_by_kind[kind] = self.violations_by_kind.get(kind, 0) + int(count)
        if answer.get("inferred") is not None:
            self.inferred = answer["inferred"]
        if answer.get("replayed"):
            self.replayed = True


@dataclass
class ModelInfo:
    name: str
    task: str
    description: Optional[str] = None
    tags: Dict[str, str] = field(default_factory=dict)
    schema: Optional[Dict[str, Any]] = None
    schema_source: Optional[str] = None
    created_at: Optional[str] = None
    updated_at: Optional[str] = None

    @property
    def features(self) -> List[str]:
        """Names of the schema's features (empty without a schema)."""
        return [f["name"] for f in (self.schema or {}).get("features", [])]


@dataclass
class ModelVersion:
    model: str
    name: str
    artifact_uri: Optional[str] = None
    params: Dict[str, Any] = field(default_factory=dict)
    metrics: Dict[str, float] = field(default_factory=dict)
    tags: Dict[str, str] = field(default_factory=dict)
    description: Optional[str] = None
    created_at: Optional[str] = None


@dataclass
class ReferenceDataset:
    name: str
    rows: int
    version: Optional[str] = None
    created_at: Optional[str] = None


@dataclass
class TrafficWindow:
    """Predictions and labeled predictions in one clock-aligned window."""

    window_start: str
    predictions: int
    labeled: int


@dataclass
class Prediction:
    """A stored prediction with its label once known."""

    id: str
    timestamp: str
    version: Optional[str] = None
    features: Dict[str, Any] = field(default_factory=dict)
    prediction: Optional[Scalar] = None
    score: Optional[float] = None
    scores: Optional[Dict[str, float]] = None
    label: Optional[Scalar] = None
    label_timestamp: Optional[str] = None
    segments: Dict[str, str] = field(default_factory=dict)
    quality_violations: List[str] = field(default_factory=list)


@dataclass
class Page(Generic[T]):
    """One page of a listing; pass ``next_cursor`` back as ``cursor`` for the next one."""

    data: RecordList[T]
    next_cursor: Optional[str]


@dataclass
class Monitor:
    name: str
    kind: str
    enabled: bool
    is_default: bool
    config: Dict[str, Any]
    pending_windows: int = 0
    created_at: Optional[str] = None
    updated_at: Optional[str] = None


@dataclass
class MonitorResult:
    """One value of one series (monitor, version, segment, feature, metric) in one window."""

    monitor: str
    kind: str
    window_start: str
    window_end: str
    metric: str
    status: str
    version: Optional[str] = None
    segment: Optional[str] = None
    feature: Optional[str] = None
    value: Optional[float] = None
    threshold_lower: Optional[float] = None
    threshold_upper: Optional[float] = None
    band_lower: Optional[float] = None
    band_upper: Optional[float] = None
    sample_size: int = 0
    reason: Optional[str] = None
    details: Optional[Dict[str, Any]] = None
    evaluated_at: Optional[str] = None


@dataclass
class ModelHealth:
    """A model's worst current status (``GET /api/v1/health``)."""

    model: str
    status: str
    monitors: Dict[str, int] = field(default_factory=dict)
    alerting_monitors: List[str] = field(default_factory=list)
    last_prediction_at: Optional[str] = None
    last_evaluated_window: Optional[str] = None


@dataclass
class Alert:
    id: int
    fingerprint: str
    state: str
    severity: str
    rule: str
    labels: Dict[str, str] = field(default_factory=dict)
    annotations: Dict[str, str] = field(default_factory=dict)
    value: Optional[float] = None
    threshold_lower: Optional[float] = None
    threshold_upper: Optional[float] = None
    window_start: Optional[str] = None
    window_end: Optional[str] = None
    active_at: Optional[str] = None
    fired_at: Optional[str] = None
    resolved_at: Optional[str] = None
    acknowledged_at: Optional[str] = None
    acknowledged_by: Optional[str] = None
    silenced_by: List[int] = field(default_factory=list)
    inhibited_by: List[int] = field(default_factory=list)
    comments: Optional[List[Dict[str, Any]]] = None


@dataclass
class ClientStats:
    """Counters since the client was created."""

    #: Records in memory: queued or being sent.
    pending: int = 0
    #: Records the server stored.
    accepted: int = 0
    #: Records the server refused (reported through ``on_error``, not retried).
    rejected: int = 0
    #: Records of batches that failed for good after the retries (reported through ``on_error``).
    failed: int = 0


def record_list(cls: type[T], values: Iterable[Any]) -> RecordList[T]:
    return RecordList(from_json(cls, v) for v in values)


@dataclass
class MetricComparison:
    """One performance metric of two versions on the same labelled predictions; ``difference`` is b - a."""

    metric: str
    greater_is_better: bool
    test: str
    status: str
    reason: Optional[str] = None
    a: Optional[float] = None
    b: Optional[float] = None
    difference: Optional[float] = None
    lower: Optional[float] = None
    upper: Optional[float] = None
    p_value: Optional[float] = None
    sample_size: int = 0
    sampled: bool = False
    better: Optional[str] = None


@dataclass
class ComparisonWindow:
    """The paired comparison of one window, or of the whole period (``Comparison.overall``)."""

    start: str
    end: str
    pairs: int
    labelled: int
    agreement: Dict[str, Any] = field(default_factory=dict)
    estimated: Optional[Dict[str, Any]] = None
    metrics: RecordList[MetricComparison] = field(default_factory=lambda: RecordList())

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> ComparisonWindow:
        window = from_json(cls, value)
        window.metrics = record_list(MetricComparison, value.get("metrics", []))
        return window

    def metric(self, name: str) -> MetricComparison:
        """The comparison of one metric (``accuracy``, ``roc_auc``...); KeyError when the task has none."""
        for m in self.metrics:
            if m.metric == name:
                return m
        raise KeyError(f"no metric {name!r} here; there are {[m.metric for m in self.metrics]}")


@dataclass
class Comparison:
    """Champion / challenger on live traffic: two versions compared paired on the same prediction ids."""

    model: str
    task: str
    a: Dict[str, Any]
    b: Dict[str, Any]
    start: str
    end: str
    window: Optional[str]
    confidence: float
    positive_class: Optional[str]
    overall: ComparisonWindow
    windows: List[ComparisonWindow] = field(default_factory=list)

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> Comparison:
        return cls(
            model=value["model"],
            task=value["task"],
            a=dict(value["a"]),
            b=dict(value["b"]),
            start=value["from"],
            end=value["to"],
            window=value.get("window"),
            confidence=value["confidence"],
            positive_class=value.get("positive_class"),
            overall=ComparisonWindow.of(value["overall"]),
            windows=[ComparisonWindow.of(w) for w in value.get("windows", [])],
        )


@dataclass
class ShadowIngestResult:
    accepted: int
    duplicates: int
