#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or the manifests changed since the last
# install, so `npm start` and `npm test` work on a fresh clone with nothing else run first.
set -euo pipefail
cd "$(dirname "$0")/.."

required_major=20
required_minor=19
IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
if (( major < required_major || (major == required_major && minor < required_minor) )); then
  echo "Vigil needs Node.js >= ${required_major}.${required_minor}; this is $(node -v)." >&2
  exit 1
fi

manifests_hash() {
  cat package.json package-lock.json packages/*/package.json | sha256sum | cut -d' ' -f1
}

marker=node_modules/.vigil-installed
if [[ ! -f $marker || "$(cat "$marker")" != "$(manifests_hash)" ]]; then
  echo "Installing dependencies..." >&2
  # `npm ci` installs exactly what the lockfile pins and never rewrites it, so a fresh
  # clone stays clean after `npm start` (npm install would add other platforms' optional
  # packages to it). It fails when package.json and the lockfile disagree: run
  # `npm install` by hand after changing dependencies, and commit the lockfile.
  npm ci --no-audit --no-fund --loglevel=error
  manifests_hash >"$marker"
fi

# Vigil's DuckDB extension (a cheaper histogram count), rebuilt only when its source changed.
# It never fails the install: without a C compiler the store counts with DuckDB's own histogram.
node scripts/build-duckdb-bins.mjs || true
