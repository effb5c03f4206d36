#!/usr/bin/env bash
# Fuzzes the HTTP API from its own OpenAPI document with Schemathesis: starts a real Vigil
# server (built by `tsc -b`) on a free port with a temporary data folder, runs every check
# for a bounded number of examples per operation, stops the server. Exits non-zero when
# the fuzzer finds a 5xx, an answer its document does not allow, or cannot run.
#
# Environment: VIGIL_FUZZ_EXAMPLES (examples per operation, default 10),
# VIGIL_FUZZ_SEED (default 20261201; every run with one seed generates the same requests).
set -euo pipefail
cd "$(dirname "$0")/.."

examples=${VIGIL_FUZZ_EXAMPLES:-10}
seed=${VIGIL_FUZZ_SEED:-20261201}
requirements=scripts/fuzz/requirements.txt

source scripts/lib/test-env.sh
venv=$(python_venv fuzz "$requirements" st)
start_vigil fuzz

echo "Fuzzing $url with Schemathesis ($examples examples per operation, seed $seed)"
status=0
# Run from the temporary folder: Schemathesis keeps a cache in its working directory.
root=$PWD
(cd "$work" && "$root/$venv/bin/st" --config-file "$root/scripts/fuzz/schemathesis.toml" \
  run "$url/api/v1/openapi.json" \
  --header "Authorization: Bearer $admin_key" \
  --max-examples "$examples" \
  --seed "$seed" \
  --workers 1 \
  --request-timeout 30 \
  --no-color) || status=$?

# A crash or a 5xx shows in the server's log too.
show_server_errors "$status"
exit "$status"
