#!/usr/bin/env bash
# The one test command: lint, type check, every test, then the API fuzzer against a real
# server (scripts/fuzz-api.sh). Runs every step even after a failure, ends with one plain
# line `N passed, N failed` (vitest's tests plus one per other step), and exits non-zero
# when anything failed. Then the Python client's checks (scripts/python-client.sh) and MLflow's
# own client (scripts/test-mlflow.sh). Arguments go to vitest and skip the fuzzer and the Python
# steps (`npm test -- path`); VIGIL_FUZZ=0, VIGIL_PYTHON=0 and VIGIL_MLFLOW=0 skip them too.
set -uo pipefail
cd "$(dirname "$0")/.."

lock_before=$(sha256sum package-lock.json)
passed=0
failed=0
failures=()

record() { # name, exit status
  if [[ $2 -eq 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$1")
  fi
}

summary() {
  local status=0
  if [[ $failed -gt 0 ]]; then
    echo "Failed: ${failures[*]}"
    status=1
  fi
  echo "$passed passed, $failed failed"
  exit "$status"
}

bash scripts/ensure-deps.sh
record "install" $?
[[ $failed -eq 0 ]] || summary

echo "== lint (biome)"
npx --no-install biome check .
record "lint" $?

echo "== type check and build (tsc -b)"
npx --no-install tsc -b && npx --no-install tsc -p tsconfig.test.json
built=$?
record "type check" $built

echo "== dashboard build (the end-to-end tests drive it)"
bash scripts/build-web.sh
record "dashboard build" $?

echo "== tests (vitest)"
report=$(mktemp "${TMPDIR:-/tmp}/vigil-vitest-XXXXXX.json")
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
vitest_status=$?
counts=$(node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests);
' "$report" 2>/dev/null || echo "0 0")
rm -f "$report"
read -r vitest_passed vitest_failed <<<"$counts"
passed=$((passed + vitest_passed))
failed=$((failed + vitest_failed))
if [[ $vitest_status -ne 0 ]]; then
  # A failure outside any test (a file that does not load, an unhandled error) counts too.
  [[ $vitest_failed -gt 0 ]] || failed=$((failed + 1))
  failures+=("vitest")
fi

if [[ $# -eq 0 && ${VIGIL_FUZZ:-1} != 0 ]]; then
  echo "== API fuzzer (Schemathesis)"
  if [[ $built -eq 0 ]]; then
    bash scripts/fuzz-api.sh
    record "API fuzzer" $?
  else
    record "API fuzzer (not run: the build failed)" 1
  fi
fi

if [[ $# -eq 0 && ${VIGIL_PYTHON:-1} != 0 ]]; then
  echo "== Python client (ruff, mypy --strict, pytest against a real server)"
  if [[ $built -eq 0 ]]; then
    bash scripts/python-client.sh
    record "Python client" $?
  else
    record "Python client (not run: the build failed)" 1
  fi
fi

if [[ $# -eq 0 && ${VIGIL_MLFLOW:-1} != 0 ]]; then
  echo "== MLflow client (pytest)"
  if [[ $built -eq 0 ]]; then
    bash scripts/test-mlflow.sh
    record "MLflow client" $?
  else
    record "MLflow client (not run: the build failed)" 1
  fi
fi

echo "== lockfile unchanged"
if [[ "$(sha256sum package-lock.json)" == "$lock_before" ]]; then
  record "lockfile" 0
else
  echo "package-lock.json changed during the test command; installs must leave it as committed." >&2
  record "lockfile" 1
fi

summary
