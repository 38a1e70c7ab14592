#!/usr/bin/env bash
# The whole suite, on a fresh machine of this kind: installs what the tests need (Debian's
# chromium for the browser tests, a running PostgreSQL for the second store), then the
# workspace, then runs every test. With CI=true nothing is skipped: a missing piece fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "test: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

bash scripts/bootstrap.sh
pnpm run typecheck
pnpm test
