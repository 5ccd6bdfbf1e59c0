#!/usr/bin/env bash
# Scan benchmark (issue 7, part 1): cfmigrate scan vs ripgrep with gitleaks' Global-key regex on the
# same tree, warm cache, run alternately N times each. Reports median wall times, their ratio,
# cfmigrate's peak RSS, and recall / false positives against the generator's manifest.
#
#   tests/bench/run_scan_bench.sh [-n RUNS] [-b CFMIGRATE] [-o RESULTS.json] TREE_DIR
#
# TREE_DIR is generate_tree.py's --out (it holds root/ and manifest.json).
# Exit 0 when recall is 100 % and there is no false positive; 1 otherwise; 2 on usage errors.
# Needs: ripgrep, GNU time (/usr/bin/time), python3.
set -euo pipefail

RUNS=5
BIN=""
RESULTS=""
while getopts "n:b:o:h" opt; do
  case "$opt" in
    n) RUNS="$OPTARG" ;;
    b) BIN="$OPTARG" ;;
    o) RESULTS="$OPTARG" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n '2,11p' "$0"; exit 2; }
TREE_DIR=$(cd "$1" && pwd)
ROOT="$TREE_DIR/root"
MANIFEST="$TREE_DIR/manifest.json"
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
if [ -z "$BIN" ]; then
  for b in "$REPO/build-bench/cfmigrate" "$REPO/build/cfmigrate"; do
    [ -x "$b" ] && { BIN="$b"; break; }
  done
fi
[ -x "$BIN" ] || { echo "no cfmigrate binary (use -b)"; exit 2; }
[ -f "$MANIFEST" ] || { echo "no $MANIFEST (run generate_tree.py --out $TREE_DIR)"; exit 2; }
command -v rg >/dev/null || { echo "ripgrep missing: apt-get install -y ripgrep"; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install -y time"; exit 2; }

# gitleaks rule `cloudflare-global-api-key`, verbatim from config/gitleaks.toml
# (docs/reference/scanners.md §1).
GITLEAKS_RE='(?i)[\w.-]{0,50}?(?:cloudflare)(?:[ \t\w.-]{0,20})[\s'"'"'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"'"'"\s=]{0,5}([a-f0-9]{37})(?:[\x60'"'"'"\s;]|\\[nr]|$)'

WORK=$(mktemp -d /tmp/cfm-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now_ns() { date +%s%N; }

run_cfm() {  # $1: run index; writes the report and GNU time's output
  local t0 t1
  t0=$(now_ns)
  /usr/bin/time -v -o "$WORK/time.$1" "$BIN" scan --root "$ROOT" --format json / >"$WORK/scan.$1.json" || true
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000 ))
}

run_rg() {
  local t0 t1
  t0=$(now_ns)
  rg --hidden --no-ignore -c -e "$GITLEAKS_RE" "$ROOT" >"$WORK/rg.$1.txt" || true
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000 ))
}

echo "tree:      $ROOT ($(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("%d files, %.0f MiB" % (m["files"], m["bytes"]/1048576))' "$MANIFEST"))"
echo "cfmigrate: $BIN"
echo "ripgrep:   $(rg --version 2>/dev/null | head -1)"
echo "machine:   $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Warm the page cache with both tools (ripgrep reads every file, cfmigrate the ones it scans).
run_rg warm >/dev/null
run_cfm warm >/dev/null

CFM_TIMES=()
RG_TIMES=()
for i in $(seq 1 "$RUNS"); do
  CFM_TIMES+=("$(run_cfm "$i")")
  RG_TIMES+=("$(run_rg "$i")")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

RSS_KB=$(for i in $(seq 1 "$RUNS"); do sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.$i"; done | sort -n | tail -1)
RG_MATCHES=$(awk -F: '{s += $NF} END {print s + 0}' "$WORK/rg.1.txt")
RG_FILES=$(wc -l <"$WORK/rg.1.txt")

python3 - "$MANIFEST" "$WORK/scan.1.json" "$RSS_KB" "$RG_MATCHES" "$RG_FILES" "$LOAD_AFTER" "${RESULTS:-}" \
  "${CFM_TIMES[*]}" "${RG_TIMES[*]}" "$HERE" <<'EOF'
import json, statistics, sys
manifest_path, scan_path, rss_kb, rg_matches, rg_files, load_after, results, cfm, rg, here = sys.argv[1:11]
sys.path.insert(0, here)
from score import score
manifest = json.load(open(manifest_path))
report = json.load(open(scan_path))
s = score(manifest, report)
cfm = [int(x) / 1e6 for x in cfm.split()]
rg = [int(x) / 1e6 for x in rg.split()]
mc, mr = statistics.median(cfm), statistics.median(rg)
summary = report["summary"]
rows = [
    ("cfmigrate median wall", "%.3f s" % mc, "runs: " + " ".join("%.3f" % x for x in cfm)),
    ("ripgrep median wall", "%.3f s" % mr, "runs: " + " ".join("%.3f" % x for x in rg)),
    ("ratio cfmigrate/rg", "%.2f" % (mc / mr), "target <= 1.00"),
    ("cfmigrate peak RSS", "%.1f MiB" % (int(rss_kb) / 1024), "target <= 64 MiB"),
    ("recall", "%d/%d (%.1f %%)" % (s["found"], s["expected"], 100 * s["recall"]), "target 100 %"),
    ("false positives", "%d" % s["false_positives"], "decoys planted: %d" % s["decoys"]),
    ("cfmigrate scanned", "%d files, %.0f MiB" % (summary["files_scanned"], summary["bytes_scanned"] / 1048576),
     "binary %d, too large %d, heavy dirs %d" % (summary["skipped"]["binary"], summary["skipped"]["too_large"],
                                                 summary["skipped"]["heavy_directories"])),
    ("ripgrep matches", "%s lines in %s files" % (rg_matches, rg_files), "gitleaks cloudflare-global-api-key"),
    ("load after", load_after, ""),
]
w = max(len(r[0]) for r in rows)
print()
for name, value, note in rows:
    print("%-*s  %-20s %s" % (w, name, value, note))
for m in s["missed"]:
    print("  MISSED  %s:%d (%s, %s)" % (m["path"], m["line"], m["style"], m["state"]))
for u in s["unexpected"]:
    print("  FP      %s:%d %s/%s program=%s name=%s" % (u["path"], u["line"], u["credential"], u["state"], u["program"], u["name"]))
for x in s["wrong_kind"]:
    print("  WRONG   %s:%d planted %s, reported %s" % (x["path"], x["line"], x["planted"], x["reported"]))
if results:
    json.dump({"cfmigrate_s": cfm, "rg_s": rg, "median_cfmigrate_s": mc, "median_rg_s": mr, "ratio": mc / mr,
               "peak_rss_kib": int(rss_kb), "score": s, "summary": summary, "load_after": load_after},
              open(results, "w"), indent=1)
sys.exit(0 if s["found"] == s["expected"] and s["false_positives"] == 0 else 1)
EOF
