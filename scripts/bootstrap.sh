#!/usr/bin/env bash
# Installs the workspace on a machine with only Node 20 and npm, then builds the libraries.
# Idempotent: a second run skips what is installed (the build runs each time). One short
# line per step; each step's output (the native build of better-sqlite3 among it) goes to a
# log file under logs/, named with its last lines when the step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
LOG_DIR="${HEED_LOG_DIR:-logs}"
mkdir -p "$LOG_DIR"

# step <label> <log name> <command...>: runs the command with its output in the log.
step() {
  local label=$1 log="$LOG_DIR/$2.log" started=$SECONDS
  shift 2
  printf '%s ... ' "$label"
  if "$@" >"$log" 2>&1; then
    echo "done ($((SECONDS - started)) s)"
  else
    echo "failed"
    echo "bootstrap: the output is in $log; its last lines:" >&2
    tail -n 15 "$log" >&2
    exit 1
  fi
}

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  step "[1/3] pnpm $PNPM_VERSION (the version package.json pins)" pnpm npm install --global "pnpm@$PNPM_VERSION"
else
  echo "[1/3] pnpm $PNPM_VERSION ... present"
fi

# node-gyp cannot download Node's headers here (only package registries are reachable), and
# pnpm 12 ignores `nodedir` in .npmrc: point the native build of better-sqlite3 at the
# headers that ship with this Node.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; else export npm_config_nodedir=/usr; fi
fi

install() {
  pnpm install --frozen-lockfile --reporter=append-only
  test -d node_modules/.pnpm
}
step "[2/3] dependencies (the first run compiles better-sqlite3: about a minute)" install install
step "[3/3] building the packages and the server" build pnpm run --silent build
