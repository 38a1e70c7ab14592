#!/usr/bin/env bash
# Installs the workspace on a machine with only Node 20 and npm, then builds the libraries.
# Idempotent: a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION (the version package.json pins)"
  npm install --global --silent "pnpm@$PNPM_VERSION"
fi

# node-gyp cannot download Node's headers here (only package registries are reachable), and
# pnpm 12 ignores `nodedir` in .npmrc: point the native build of better-sqlite3 at the
# headers that ship with this Node.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; else export npm_config_nodedir=/usr; fi
fi

pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -v '^Progress' || true
test -d node_modules/.pnpm || { echo "bootstrap: pnpm install failed" >&2; exit 1; }
pnpm run --silent build
