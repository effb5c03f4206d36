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
  # `npm install` rather than `npm ci`: the lockfile pins every version, and npm ci refuses
  # lockfiles that leave out other platforms' optional packages, as some registries' do.
  npm install --no-audit --no-fund --loglevel=error
  manifests_hash >"$marker"
fi
