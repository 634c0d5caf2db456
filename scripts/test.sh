#!/usr/bin/env bash
# The full suite on a fresh clone: dependencies, Temporal CLI, lint, type-check, then every test file
# against one real dev server (scripts/run-tests.ts). Any failure stops the run with a non-zero exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "== Temporal CLI"
node bin/erp-bridge.js provision
echo "== lint"
npx eslint .
echo "== type-check"
npx tsc --noEmit -p .
echo "== tests"
node --import tsx scripts/run-tests.ts "$@"
