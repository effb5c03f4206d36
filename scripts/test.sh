#!/usr/bin/env bash
# The one test command: lint, type check, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "== lint (biome)"
npx --no-install biome check .
echo "== type check and build (tsc -b)"
npx --no-install tsc -b
npx --no-install tsc -p tsconfig.test.json
echo "== tests (vitest)"
npx --no-install vitest run "$@"
