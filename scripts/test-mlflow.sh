#!/usr/bin/env bash
# MLflow's official Python client against a real Vigil server: starts the server (built by
# `tsc -b`) on a free port with a temporary data folder, runs scripts/mlflow/test_mlflow_client.py
# with pytest, stops the server. The client and scikit-learn live in their own venv under .venv,
# keyed on the requirements' hash, so it is built once and rebuilt only when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=scripts/mlflow/requirements.txt
source scripts/lib/test-env.sh
venv=$(python_venv mlflow "$requirements" pytest)
start_vigil mlflow

echo "MLflow client $(grep -i '^mlflow' "$requirements" | head -1) against $url"
status=0
# No retries: a failing call should fail the test at once, not after minutes of back-off.
MLFLOW_TRACKING_URI="$url" MLFLOW_TRACKING_TOKEN="$admin_key" MLFLOW_HTTP_REQUEST_MAX_RETRIES=0 \
  MLFLOW_ENABLE_ASYNC_LOGGING=false PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
  --basetemp "$work/pytest" scripts/mlflow/test_mlflow_client.py || status=$?

show_server_errors "$status"
exit "$status"
