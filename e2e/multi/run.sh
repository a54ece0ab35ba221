#!/usr/bin/env bash
# Multi-process suite (CONTRACT §9): 3 built server processes on a fresh Postgres database behind nginx round-robin.
# Needs: `pnpm build` done, Postgres on 127.0.0.1:5432 (user postgres, trust), nginx (installed here from Debian's
# packages when missing; it runs as a foreground child of the suite with its own prefix in a temp dir, never as a
# system service). Writes its JSON report to $MULTI_REPORT (default .ci/results/multi.json).
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "multi: installing nginx (apt)"
  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null || {
    echo "multi: could not install nginx" >&2
    exit 1
  }
  # Debian's package may start its own service on port 80; the suite runs its own nginx instead.
  if [ -f /run/nginx.pid ]; then nginx -s quit >/dev/null 2>&1 || true; fi
fi
export PATH="$PATH:/usr/sbin"
if [ ! -f apps/server/dist/index.js ]; then
  echo "multi: apps/server/dist/index.js missing (run pnpm build first)" >&2
  exit 1
fi
exec e2e/node_modules/.bin/tsx e2e/multi/suite.ts
