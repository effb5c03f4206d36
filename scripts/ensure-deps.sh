#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than the lockfile,
# so `npm start` and `npm test` work on a fresh clone with nothing else run first.
set -euo pipefail
cd "$(dirname "$0")/.."

required_major=20
required_minor=19
IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
if (( major < required_major || (major == required_major && minor < required_minor) )); then
  echo "Vigil needs Node.js >= ${required_major}.${required_minor}; this is $(node -v)." >&2
  exit 1
fi

marker=node_modules/.package-lock.json
if [[ ! -f $marker || package-lock.json -nt $marker ]]; then
  echo "Installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
