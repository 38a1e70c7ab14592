#!/usr/bin/env bash
# The main job: install, build, and run the server on the embedded SQLite store with a demo
# project (created on first start), printing its URLs, keys and a copy-paste example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec pnpm heed serve --demo "$@"
