#!/usr/bin/env bash
# Installs what is missing, builds (the dashboard only when its sources changed), and starts Vigil with the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx --no-install tsc -b
bash scripts/build-web.sh
exec node packages/cli/dist/main.js start "$@"
