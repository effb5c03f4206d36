# Sourced by the scripts that run Python tools against a real Vigil server (fuzz-api.sh,
# test-mlflow.sh, python-client.sh): one way to build a pinned venv and one way to start a
# server from this repository's build.

# python_venv NAME REQUIREMENTS TOOL: prints the venv under .venv for these pins, keyed on their
# hash so it is built once and rebuilt only when they change; TOOL (in its bin/) shows it is complete.
python_venv() {
  local name=$1 requirements=$2 tool=$3
  local venv=".venv/$name-$(sha256sum "$requirements" | cut -c1-12)"
  if [[ ! -x $venv/bin/$tool ]]; then
    echo "Installing $requirements into $venv..." >&2
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >&2; then
      echo "$name: cannot create a Python venv; install python3 and python3-venv (apt-get install python3-venv)." >&2
      rm -rf "$venv"
      return 1
    fi
    if ! "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2; then
      rm -rf "$venv"
      return 1
    fi
  fi
  echo "$venv"
}

# start_vigil NAME: starts `vigil start` (built by `tsc -b`) on a free port with a temporary data
# folder and a random admin key; sets work, server_pid, url and admin_key, and stops the server
# and removes the folder on exit. Returns non-zero, with the server's log, when it does not start.
start_vigil() {
  local name=$1
  work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$name-XXXXXX")
  server_pid=
  trap stop_vigil EXIT
  admin_key="vk_${name}_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
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
    echo "$name: the server did not start:" >&2
    cat "$work/server.log" >&2
    return 1
  fi
}

stop_vigil() {
  if [[ -n ${server_pid:-} ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "${work:-}"
}

# show_server_errors STATUS: after a failed run, the server's own errors (a crash or a 5xx).
show_server_errors() {
  if [[ $1 -ne 0 ]] && grep -q '"level":5[0-9]' "$work/server.log"; then
    echo "Server errors during the run:" >&2
    grep '"level":5[0-9]' "$work/server.log" | head -20 >&2
  fi
}
