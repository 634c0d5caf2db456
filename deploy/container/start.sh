#!/bin/sh
# The image's start-up steps, kept out of the Dockerfile so the test suite runs exactly this script
# (test/integration/container-start.test.ts). Configuration is the environment, as documented in the README.
#   ERP_BRIDGE_SETUP_ON_START=1   run `erp-bridge setup --no-schedules` first (idempotent; for a single worker or a
#                                 first deploy; with many workers prefer one `setup` job before them)
set -eu
cd "$(dirname "$0")/../.."
if [ "${ERP_BRIDGE_SETUP_ON_START:-0}" = "1" ]; then
  node bin/erp-bridge.js setup --no-schedules
fi
# exec: the worker is PID 1's child no more, so SIGTERM from `docker stop` / Kubernetes reaches it directly and the
# shutdown grace (longer than a Kingdee call) lets in-flight writes finish.
exec node bin/erp-bridge.js worker "$@"
