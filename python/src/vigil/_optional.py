"""Optional dependencies, imported when first needed so that ``import vigil`` stays cheap."""

from __future__ import annotations

import importlib
import sys
from typing import Any, Optional


def loaded(name: str) -> Optional[Any]:
    """The module when the application imported it already (then values may be its types)."""
    return sys.modules.get(name)


def optional(name: str) -> Optional[Any]:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def require_pandas(what: str) -> Any:
    pd = optional("pandas")
    if pd is None:
        raise ImportError(f"{what} needs pandas: pip install 'vigil-client[pandas]'")
    return pd
