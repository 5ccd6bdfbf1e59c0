#!/usr/bin/env bash
# Checks the module graph: every `#include <cfmigrate/MODULE/...>` (or "cfmigrate/MODULE/...") in
# src/ and include/ must point to the file's own module or to one the table below allows. Lower
# modules never include higher ones; an include that points up the graph is listed and fails the
# run. The table is the one place the graph is written down; docs/architecture.md draws it.
#
# usage: check-module-graph.sh [--root DIR] [--print-graph | --print-allowed]
#   --root DIR       the source tree to check (default: the repository holding this script)
#   --print-graph    print the edges the includes really make ("plan -> scan  (12)") and exit 0
#   --print-allowed  print the table and exit 0
# exit: 0 clean, 1 an include breaks the graph or a file is in no known module, 2 bad usage.
#
# A file's module: include/cfmigrate/M/... and src/cfmigrate/M/... are M; src/emulator/... is
# emulator (the emulator library and program); src/main.cpp is `main` (the cfmigrate program).
set -euo pipefail

# ---- the module graph: module -> the modules it may include (besides itself) ---------------------
declare -A allowed=(
  [util]=""
  [recipe]="util"
  [scan]="recipe util"
  [cloudflare]="util"
  [emulator]="cloudflare util"
  [plan]="scan recipe cloudflare util"
  [exec]="plan scan recipe cloudflare util"
  [fleet]="util" # the fleet report reads JSON documents, not the scan/plan types
  [cli]="exec fleet plan scan recipe cloudflare util"
  [main]="cli"
)
# Bottom to top, for printing.
readonly order=(util recipe scan cloudflare emulator plan exec fleet cli main)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=check
while (($# > 0)); do
  case $1 in
  --root) root=${2:?--root needs a directory}; shift 2 ;;
  --print-graph) mode=graph; shift ;;
  --print-allowed) mode=allowed; shift ;;
  -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "check-module-graph: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $mode == allowed ]]; then
  for m in "${order[@]}"; do
    printf '%-10s -> %s\n' "$m" "${allowed[$m]:-(nothing)}"
  done
  exit 0
fi

[[ -d "$root/src" && -d "$root/include" ]] || { echo "check-module-graph: $root has no src/ and include/" >&2; exit 2; }

table=""
for m in "${order[@]}"; do
  table+="$m=${allowed[$m]};"
done

# One awk pass over every cfmigrate include: "V<tab>message" per violation, "E<tab>from -> to"
# per include between two modules.
results=$(cd "$root" && grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]cfmigrate/[A-Za-z0-9_]+/' src include \
  | sort -t: -k1,1 -k2,2n \
  | awk -v table="$table" '
    BEGIN {
      n = split(table, rows, ";")
      for (i = 1; i <= n; i++) {
        if (rows[i] == "") continue
        split(rows[i], kv, "=")
        known[kv[1]] = 1
        m = split(kv[2], deps, " ")
        for (j = 1; j <= m; j++) ok[kv[1] SUBSEP deps[j]] = 1
      }
    }
    function module_of(path,   parts) {
      if (path ~ /^(include|src)\/cfmigrate\/[^\/]+\//) { split(path, parts, "/"); return parts[3] }
      if (path ~ /^src\/emulator\//) return "emulator"
      if (path == "src/main.cpp") return "main"
      return ""
    }
    {
      file = $0; sub(/:.*/, "", file)
      rest = substr($0, length(file) + 2)
      line = rest; sub(/:.*/, "", line)
      text = substr(rest, length(line) + 2); sub(/^[ \t]+/, "", text)
      target = text; sub(/^#[ \t]*include[ \t]*[<"]cfmigrate\//, "", target); sub(/\/.*/, "", target)
      from = module_of(file)
      where = file ":" line ": "
      if (!(from in known)) {
        print "V\t" where (from == "" ? "this file" : from) " is in no module of the graph (add it to .ci/check-module-graph.sh): " text
        next
      }
      if (!(target in known)) { print "V\t" where target " is not a module of the graph: " text; next }
      if (from == target) next
      print "E\t" from " -> " target
      if (!((from SUBSEP target) in ok)) print "V\t" where from " may not include " target " (not below " from " in the graph): " text
    }'
)

if [[ $mode == graph ]]; then
  for from in "${order[@]}"; do
    for to in "${order[@]}"; do
      count=$(grep -cxF "E	$from -> $to" <<<"$results" || true)
      ((count > 0)) && printf '%-24s (%d)\n' "$from -> $to" "$count"
    done
  done
  exit 0
fi

violations=$(grep '^V' <<<"$results" | cut -f2- || true)
edge_count=$(grep '^E' <<<"$results" | sort -u | wc -l)
if [[ -n $violations ]]; then
  echo "check-module-graph: $(wc -l <<<"$violations") include(s) break the module graph:" >&2
  while IFS= read -r v; do echo "  $v" >&2; done <<<"$violations"
  echo "The allowed graph (module -> what it may include):" >&2
  "${BASH_SOURCE[0]}" --print-allowed | sed 's/^/  /' >&2
  exit 1
fi
echo "check-module-graph: $edge_count module edges, all pointing down the graph"
