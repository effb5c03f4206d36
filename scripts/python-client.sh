#!/usr/bin/env bash
# Checks the Python client (python/): ruff, mypy --strict, then pytest against real Vigil servers
# started from this repository's build (`tsc -b` first). The tools live in a venv of their own
# under .venv (gitignored), keyed on the pinned requirements' hash: built once, rebuilt only when
# the pins change. Arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

requirements=python/requirements-dev.txt
venv=".venv/python-$(sha256sum "$requirements" | cut -c1-12)"
if [[ ! -x $venv/bin/pytest ]]; then
  echo "Installing the Python client's test tools into $venv..." >&2
  rm -rf "$venv"
  if ! python3 -m venv "$venv"; then
    echo "python: cannot create a Python venv; install python3 and python3-venv (apt-get install python3-venv)." >&2
    rm -rf "$venv"
    exit 1
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" || exit 1
fi

status=0
cd python
echo "-- ruff"
"../$venv/bin/ruff" check . && "../$venv/bin/ruff" format --check . || status=1
echo "-- mypy --strict"
"../$venv/bin/mypy" || status=1
echo "-- pytest"
"../$venv/bin/pytest" -p no:cacheprovider "$@" || status=1
exit "$status"
