#!/usr/bin/env bash
# Starts a Docker engine in the background when none answers (as root: dockerd needs it), and
# waits until it does. The container target's tests and `npm run image` need one; CI machines
# have Debian's docker.io installed by .ci/run but no daemon running.
#
#   docker/start-engine.sh [LOG]      (default: $TMPDIR/edgeproof-dockerd.log)
set -euo pipefail

log=${1:-${TMPDIR:-/tmp}/edgeproof-dockerd.log}
timeout_secs=60

if docker info >/dev/null 2>&1; then
  exit 0
fi
if ! command -v dockerd >/dev/null; then
  echo "start-engine: no dockerd here (Debian: apt-get install docker.io)" >&2
  exit 1
fi
echo "start-engine: starting dockerd (log: $log)"
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 "$timeout_secs"); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  if ! kill -0 $! 2>/dev/null; then
    break
  fi
  sleep 1
done
echo "start-engine: dockerd did not answer within $timeout_secs s; the end of $log:" >&2
tail -n 20 "$log" >&2
exit 1
