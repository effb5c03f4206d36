"""``@model.monitor``: logging the inputs and outputs of predict functions and estimators."""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence

from ._optional import loaded
from .errors import VigilError

if TYPE_CHECKING:
    from .model import Model


def monitor(handle: Model, target: Any = None, **options: Any) -> Any:
    if target is None:
        return lambda t: monitor(handle, t, **options)
    if hasattr(target, "predict") or hasattr(target, "predict_proba"):
        return MonitoredEstimator(handle, target, **options)
    if callable(target):
        return _wrap_function(handle, target, **options)
    raise TypeError(
        f"monitor() wraps a function or an object with predict/predict_proba, got {type(target).__name__}"
    )


def _report(handle: Model, error: Exception) -> None:
    handle.client._report(
        error
        if isinstance(error, VigilError)
        else VigilError(f"monitor: {type(error).__name__}: {error}", code="monitor_failed")
    )


def _is_batch(value: Any) -> bool:
    pd = loaded("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        return True
    np = loaded("numpy")
    if np is not None and isinstance(value, np.ndarray):
        return bool(value.ndim == 2)
    return (
        isinstance(value, list) and bool(value) and all(isinstance(r, (Mapping, list, tuple)) for r in value)
    )


def _rows(x: Any, feature_names: Optional[Sequence[str]]) -> List[Dict[str, Any]]:
    """The feature mappings of a batch: a DataFrame's rows, or rows of a 2-D array or list."""
    pd = loaded("pandas")
    if pd is not None and isinstance(x, pd.DataFrame):
        return [dict(zip(map(str, x.columns), row)) for row in x.itertuples(index=False, name=None)]
    rows = x.tolist() if hasattr(x, "tolist") else list(x)
    out: List[Dict[str, Any]] = []
    for row in rows:
        if isinstance(row, Mapping):
            out.append(dict(row))
        else:
            names = feature_names or [f"x{i}" for i in range(len(row))]
            out.append(dict(zip(names, row)))
    return out


def _values(y: Any) -> List[Any]:
    return list(y.tolist() if hasattr(y, "tolist") else y)


def _output(value: Any) -> Dict[str, Any]:
    if isinstance(value, Mapping) and "prediction" in value:
        return {k: value[k] for k in ("prediction", "score", "scores", "label") if value.get(k) is not None}
    return {"prediction": value}


def _wrap_function(
    handle: Model, fn: Callable[..., Any], *, feature_names: Optional[Sequence[str]] = None, **fields: Any
) -> Callable[..., Any]:
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments: Dict[str, Any] = {}
            for name, value in bound.arguments.items():
                kind = signature.parameters[name].kind
                if name in ("self", "cls"):
                    continue
                if kind is inspect.Parameter.VAR_KEYWORD:
                    arguments.update(value)
                elif kind is inspect.Parameter.VAR_POSITIONAL:
                    arguments.update({f"{name}{i}": v for i, v in enumerate(value)})
                else:
                    arguments[name] = value
            values = list(arguments.values())
            if len(values) == 1 and _is_batch(values[0]):
                outputs = _values(result)
                for features, output in zip(_rows(values[0], feature_names), outputs):
                    handle.log(features=features, **_output(output), **fields)
            elif len(values) == 1 and isinstance(values[0], Mapping):
                handle.log(features=values[0], **_output(result), **fields)
            else:
                handle.log(features=arguments, **_output(result), **fields)
        except Exception as error:  # logging must never break the prediction
            _report(handle, error)
        return result

    return wrapper


class MonitoredEstimator:
    """Wraps a scikit-learn-like model: ``predict`` logs each row's prediction, ``predict_proba``
    each row's most likely class with its class scores (``score`` is the positive class's for two
    classes). Every other attribute is the wrapped model's."""

    def __init__(
        self, handle: Model, estimator: Any, *, feature_names: Optional[Sequence[str]] = None, **fields: Any
    ) -> None:
        self._handle = handle
        self._estimator = estimator
        names = feature_names
        if names is None and hasattr(estimator, "feature_names_in_"):
            names = [str(n) for n in estimator.feature_names_in_]
        self._feature_names = names
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        return getattr(self._estimator, name)

    def predict(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        y = self._estimator.predict(x, *args, **kwargs)
        try:
            for features, prediction in zip(_rows(x, self._feature_names), _values(y)):
                self._handle.log(features=features, prediction=prediction, **self._fields)
        except Exception as error:
            _report(self._handle, error)
        return y

    def predict_proba(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        p = self._estimator.predict_proba(x, *args, **kwargs)
        try:
            classes = _values(
                getattr(self._estimator, "classes_", range(len(_values(p)[0]) if len(p) else 0))
            )
            for features, probabilities in zip(_rows(x, self._feature_names), _values(p)):
                best = max(range(len(probabilities)), key=lambda j: probabilities[j])
                scores = {str(c): float(v) for c, v in zip(classes, probabilities)}
                score = float(probabilities[1]) if len(classes) == 2 else None
                self._handle.log(
                    features=features, prediction=classes[best], score=score, scores=scores, **self._fields
                )
        except Exception as error:
            _report(self._handle, error)
        return p
