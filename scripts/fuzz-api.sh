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

# A venv of its own under .venv (gitignored), keyed on the requirements' hash so it is
# built once and rebuilt only when the pins change.
venv=".venv/fuzz-$(sha256sum "$requirements" | cut -c1-12)"
if [[ ! -x $venv/bin/st ]]; then
  echo "Installing Schemathesis into $venv..." >&2
  rm -rf "$venv"
  if ! python3 -m venv "$venv"; then
    echo "fuzz: cannot create a Python venv; install python3 and python3-venv (apt-get install python3-venv)." >&2
    rm -rf "$venv"
    exit 1
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fuzz-XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

admin_key="vk_fuzz_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
VIGIL_PORT=0 VIGIL_HOST=127.0.0.1 VIGIL_DATA_DIR="$work/data" VIGIL_ADMIN_KEY="$admin_key" \
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
  echo "fuzz: the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

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

# A crash or a 5xx shows in the server's log too; show its errors when the run failed.
if [[ $status -ne 0 ]] && grep -q '"level":5[0-9]' "$work/server.log"; then
  echo "Server errors during the run:" >&2
  grep '"level":5[0-9]' "$work/server.log" | head -20 >&2
fi
exit "$status"
