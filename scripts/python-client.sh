#!/usr/bin/env bash
# Checks the Python client (python/): ruff, mypy --strict, then pytest against real Vigil servers
# started from this repository's build (`tsc -b` first). The tools live in a venv of their own
# under .venv (gitignored), keyed on the pinned requirements' hash: built once, rebuilt only when
# the pins change. Arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

requirements=python/requirements-dev.txt
source scripts/lib/test-env.sh
venv=$(python_venv python "$requirements" pytest) || exit 1

status=0
cd python
echo "-- ruff"
"../$venv/bin/ruff" check . && "../$venv/bin/ruff" format --check . || status=1
echo "-- mypy --strict"
"../$venv/bin/mypy" || status=1
echo "-- pytest"
"../$venv/bin/pytest" -p no:cacheprovider "$@" || status=1
exit "$status"
