#!/usr/bin/env bash
# Refreshes the vendored conformance corpus (test/conformance/kdl) from the shared copy
# (../shared/conformance/kdl, or the folder given), so a fresh clone can run
# `npm run conformance` on its own. Usage: scripts/refresh-conformance.sh [SOURCE_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOURCE=${1:-$ROOT/../shared/conformance/kdl}
DEST=$ROOT/test/conformance/kdl
if [ ! -f "$SOURCE/check.sh" ] || [ ! -f "$SOURCE/manifest.tsv" ]; then
  echo "no conformance corpus at $SOURCE (it needs check.sh and manifest.tsv)" >&2
  exit 2
fi
# Copy into a fresh folder beside the old one and swap, so a failed copy keeps the old corpus.
STAGING=$(mktemp -d "$ROOT/test/conformance/.kdl.XXXXXX")
trap 'rm -rf "$STAGING"' EXIT
cp -R "$SOURCE"/. "$STAGING"/
rm -rf "$DEST"
mv "$STAGING" "$DEST"
trap - EXIT
chmod 755 "$DEST"
echo "vendored $(grep -vc '^path' "$DEST/manifest.tsv") cases from $SOURCE into test/conformance/kdl"
