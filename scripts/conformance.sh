#!/usr/bin/env bash
# Runs the Kindelia conformance corpus against the built CLI: the copy vendored in
# test/conformance/kdl by default (scripts/refresh-conformance.sh updates it from
# ../shared/conformance/kdl). Usage: scripts/conformance.sh [--hex] [CASES_DIR]
#   --hex   compare `kindling kdl serialize` with the recorded .hex files
#   (default) compare `kindling test` with the recorded .out files
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HEX=()
if [ "${1:-}" = "--hex" ]; then HEX=(--hex); shift; fi
CASES=${1:-${KINDLING_CONFORMANCE:-$ROOT/test/conformance/kdl}}
if [ ! -f "$CASES/check.sh" ]; then
  echo "conformance corpus not found at $CASES (run scripts/refresh-conformance.sh, or set KINDLING_CONFORMANCE)" >&2
  exit 2
fi
export KINDLING_BIN="$ROOT/bin/kindling.js"
exec bash "$CASES/check.sh" "${HEX[@]}" "$CASES" -- sh -c '
  case "$MODE" in
    test)      exec node "$KINDLING_BIN" test "$1" ;;
    sudo)      exec node "$KINDLING_BIN" test --sudo "$1" ;;
    fresh)     exec node "$KINDLING_BIN" test --fresh "$1" ;;
    serialize) exec node "$KINDLING_BIN" kdl serialize "$1" ;;
    *)         echo "unknown MODE $MODE" >&2; exit 2 ;;
  esac' dispatch
