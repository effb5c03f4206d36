"""Python client of Vigil, the open-source model monitoring platform.

>>> import vigil
>>> client = vigil.Client("http://localhost:4000", api_key="vk_...")
>>> model = client.model("churn")
>>> model.log(features={"tenure": 12, "plan": "pro"}, prediction=1, score=0.83)
"""

from ._http import RetryPolicy
from ._tables import ColumnMapping
from ._version import __version__
from .client import Client
from .errors import (
    APIError,
    AuthError,
    ClientClosedError,
    ColumnNotFoundError,
    ConflictError,
    DeliveryError,
    NetworkError,
    NotFoundError,
    QueueFullError,
    ValidationError,
    VigilError,
)
from .model import Model
from .types import (
    Alert,
    ClientStats,
    Comparison,
    ComparisonWindow,
    IngestResult,
    MetricComparison,
    ModelHealth,
    ModelInfo,
    ModelVersion,
    Monitor,
    MonitorResult,
    Page,
    Prediction,
    RecordList,
    ReferenceDataset,
    RejectedRecord,
    ShadowIngestResult,
    TrafficWindow,
)

__all__ = [
    "APIError",
    "Alert",
    "AuthError",
    "Client",
    "ClientClosedError",
    "ClientStats",
    "ColumnMapping",
    "ColumnNotFoundError",
    "Comparison",
    "ComparisonWindow",
    "ConflictError",
    "DeliveryError",
    "IngestResult",
    "MetricComparison",
    "Model",
    "ModelHealth",
    "ModelInfo",
    "ModelVersion",
    "Monitor",
    "MonitorResult",
    "NetworkError",
    "NotFoundError",
    "Page",
    "Prediction",
    "QueueFullError",
    "RecordList",
    "ReferenceDataset",
    "RejectedRecord",
    "RetryPolicy",
    "ShadowIngestResult",
    "TrafficWindow",
    "ValidationError",
    "VigilError",
    "__version__",
]
