#!/usr/bin/env bash
# The main job: install, build, and run the server on the embedded SQLite store with a demo
# project (created on first start), printing its URLs, keys and a copy-paste example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo "[start] the server with the demo project (first start seeds three weeks of use)"
exec node apps/server/dist/cli.js serve --demo "$@"
