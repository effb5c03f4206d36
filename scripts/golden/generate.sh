#!/usr/bin/env bash
# Regenerates the golden fixtures in packages/stats/fixtures/golden/ from the Python reference
# implementations. Creates scripts/golden/.venv from requirements.txt first if it is missing.
# Usage: scripts/golden/generate.sh [script.py ...]   (default: every golden script)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "creating $venv from requirements.txt"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --upgrade pip
  "$venv/bin/python" -m pip install -r "$here/requirements.txt"
fi

if [[ $# -gt 0 ]]; then
  scripts=("$@")
else
  scripts=()
  for path in "$here"/*.py; do
    name="$(basename "$path")"
    [[ "$name" == _* ]] && continue # shared modules, not scripts
    scripts+=("$name")
  done
fi

for name in "${scripts[@]}"; do
  echo "== $name"
  # -P: the scripts' folder is not put first on sys.path, so no file in it can hide a standard module.
  "$venv/bin/python" -P "$here/$(basename "$name")"
done
