#!/usr/bin/env bash
# MLflow's official Python client against a real Vigil server: starts the server (built by
# `tsc -b`) on a free port with a temporary data folder, runs scripts/mlflow/test_mlflow_client.py
# with pytest, stops the server. The client and scikit-learn live in their own venv under .venv,
# keyed on the requirements' hash, so it is built once and rebuilt only when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=scripts/mlflow/requirements.txt
venv=".venv/mlflow-$(sha256sum "$requirements" | cut -c1-12)"
if [[ ! -x $venv/bin/pytest ]]; then
  echo "Installing the MLflow client into $venv..." >&2
  rm -rf "$venv"
  if ! python3 -m venv "$venv"; then
    echo "mlflow: cannot create a Python venv; install python3 and python3-venv (apt-get install python3-venv)." >&2
    rm -rf "$venv"
    exit 1
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-mlflow-XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

key="vk_mlflow_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
VIGIL_PORT=0 VIGIL_HOST=127.0.0.1 VIGIL_DATA_DIR="$work/data" VIGIL_ADMIN_KEY="$key" \
  VIGIL_LOG_LEVEL=warn VIGIL_LOG_FORMAT=json \
  node packages/cli/dist/main.js start >"$work/server.log" 2>&1 &
server_pid=$!

url=
for _ in $(seq 300); do
  url=$(grep -o 'running on http://[0-9.:]*' "$work/server.log" | head -1 | cut -d' ' -f3 || true)
  [[ -n $url ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [[ -z $url ]]; then
  echo "mlflow: the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

echo "MLflow client $(grep -i '^mlflow' "$requirements" | head -1) against $url"
status=0
# No retries: a failing call should fail the test at once, not after minutes of back-off.
MLFLOW_TRACKING_URI="$url" MLFLOW_TRACKING_TOKEN="$key" MLFLOW_HTTP_REQUEST_MAX_RETRIES=0 \
  MLFLOW_ENABLE_ASYNC_LOGGING=false PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
  --basetemp "$work/pytest" scripts/mlflow/test_mlflow_client.py || status=$?

if [[ $status -ne 0 ]] && grep -q '"level":5[0-9]' "$work/server.log"; then
  echo "Server errors during the run:" >&2
  grep '"level":5[0-9]' "$work/server.log" | head -20 >&2
fi
exit "$status"
