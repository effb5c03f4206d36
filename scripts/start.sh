#!/usr/bin/env bash
# Installs what is missing, builds, and starts Vigil with the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx --no-install tsc -b
exec node packages/cli/dist/main.js start "$@"
