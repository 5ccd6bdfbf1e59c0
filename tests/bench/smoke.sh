#!/usr/bin/env bash
# Quick check of the scan benchmark's pieces (< 30 s): generates a tiny tree (a few MiB), runs
# `cfmigrate scan` once and checks recall and false positives against the manifest. No timing.
#
#   tests/bench/smoke.sh [CFMIGRATE_BINARY]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN="${1:-}"
if [ -z "$BIN" ]; then
  for b in "$REPO/build/cfmigrate" "$REPO/build-bench/cfmigrate"; do
    [ -x "$b" ] && { BIN="$b"; break; }
  done
fi
[ -x "$BIN" ] || { echo "no cfmigrate binary: pass its path"; exit 2; }
OUT=$(mktemp -d /tmp/cfm-bench-smoke.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
python3 "$HERE/generate_tree.py" --out "$OUT/tree" --size-mb 4 --files 800
rc=0
"$BIN" scan --root "$OUT/tree/root" --format json / >"$OUT/scan.json" || rc=$?
if [ "$rc" -ne 2 ]; then  # 2: Global keys found, as planted
  echo "cfmigrate scan exited $rc (expected 2)"
  exit 1
fi
python3 "$HERE/score.py" "$OUT/tree/manifest.json" "$OUT/scan.json"
