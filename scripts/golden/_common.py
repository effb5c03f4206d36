"""Shared pieces of the golden scripts: where fixtures go, JSON-safe values and writing a fixture.

Imported by sibling scripts after `sys.path.append(...)` of this folder: appended, never prepended,
so no file here can hide a standard module.
"""

import json
import math
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[2] / 'packages' / 'stats' / 'fixtures' / 'golden'


def generator(script, versions):
    """The fixture's `generator` field: `scripts/golden/<script> (name version, ...)` from {name: version}."""
    listed = ', '.join(f'{name} {version}' for name, version in versions.items())
    return f'scripts/golden/{script} ({listed})'


def num(x):
    """JSON-safe float: NaN and None become null."""
    if x is None:
        return None
    x = float(x)
    return None if np.isnan(x) else x


def clean(value):
    """JSON-safe copy: numpy scalars and arrays to Python values, NaN to None, mapping keys to strings."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) else f
    if isinstance(value, np.str_):
        return str(value)
    return value


def write_fixture(name, payload, text=lambda s: s):
    """Writes `payload` as compact JSON to `<FIXTURES>/<name>.json`; `text` may post-process the JSON text."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    path = FIXTURES / f'{name}.json'
    path.write_text(text(json.dumps(payload, separators=(',', ':'))))
    print(f'wrote {path} ({path.stat().st_size} bytes)')
    return path
