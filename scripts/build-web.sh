#!/usr/bin/env bash
# Builds the dashboard (packages/web) into packages/web/dist/app when its sources changed since
# the last build, so `npm start` and `npm test` rebuild it only when needed (a build takes seconds).
# VIGIL_WEB_REBUILD=1 builds it anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

web=packages/web
out=$web/dist/app
stamp=$out/.source-hash

sources_hash() {
  {
    find "$web/src" "$web/public" -type f 2>/dev/null | LC_ALL=C sort | xargs sha256sum
    sha256sum "$web/index.html" "$web/vite.config.ts" "$web/package.json" package-lock.json
  } | sha256sum | cut -d' ' -f1
}

current=$(sources_hash)
if [[ ${VIGIL_WEB_REBUILD:-0} != 1 && -f $stamp && "$(cat "$stamp")" == "$current" && -f $out/index.html ]]; then
  exit 0
fi
echo "Building the dashboard..." >&2
(cd "$web" && npx --no-install vite build --logLevel warn)
echo "$current" >"$stamp"
