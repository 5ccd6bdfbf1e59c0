#!/usr/bin/env bash
# Self-test of .ci/check-module-graph.sh on small scratch trees: a tree whose includes point down
# passes; an upward include (util -> plan), an emulator file reaching into exec (in either place the
# emulator lives) and a file of an unknown module each fail, naming the offending line.
# usage: check_module_graph_test.sh SOURCE_DIR
set -euo pipefail
checker="${1:?usage: check_module_graph_test.sh SOURCE_DIR}/.ci/check-module-graph.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cfmigrate-graph-test-XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0

# tree NAME FILE=INCLUDE...: a scratch tree with one include line per file.
tree() {
  local dir="$work/$1"
  shift
  mkdir -p "$dir/src" "$dir/include"
  local spec
  for spec in "$@"; do
    mkdir -p "$(dirname "$dir/${spec%%=*}")"
    printf '#pragma once\n#include <%s>\n' "${spec#*=}" >>"$dir/${spec%%=*}"
  done
  echo "$dir"
}

# expect NAME RC PATTERN DIR: the checker exits RC on DIR and prints a line matching PATTERN.
expect() {
  local name=$1 want=$2 pattern=$3 dir=$4 rc=0 out
  out=$("$checker" --root "$dir" 2>&1) || rc=$?
  if [[ $rc -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), output:"
    while IFS= read -r l; do echo "    $l"; done <<<"$out"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

clean=(src/cfmigrate/plan/planner.cpp=cfmigrate/scan/finding.hpp
       include/cfmigrate/scan/finding.hpp=cfmigrate/recipe/recipe.hpp
       src/cfmigrate/emulator/service.cpp=cfmigrate/cloudflare/api_types.hpp
       src/emulator/server.cpp=cfmigrate/util/result.hpp
       src/main.cpp=cfmigrate/cli/run.hpp)
expect "downward includes pass" 0 "all pointing down" "$(tree clean "${clean[@]}")"
expect "util including plan fails" 1 "src/cfmigrate/util/sha256.cpp:2: util may not include plan" \
  "$(tree up "${clean[@]}" src/cfmigrate/util/sha256.cpp=cfmigrate/plan/plan.hpp)"
expect "a header including cli fails" 1 "include/cfmigrate/scan/finding.hpp:4: scan may not include cli" \
  "$(tree header "${clean[@]}" include/cfmigrate/scan/finding.hpp=cfmigrate/cli/run.hpp)"
expect "src/emulator including exec fails" 1 "src/emulator/server.cpp:4: emulator may not include exec" \
  "$(tree emulator "${clean[@]}" src/emulator/server.cpp=cfmigrate/exec/journal.hpp)"
expect "src/cfmigrate/emulator including plan fails" 1 "emulator may not include plan" \
  "$(tree emulator2 "${clean[@]}" src/cfmigrate/emulator/state.cpp=cfmigrate/plan/plan.hpp)"
expect "an unknown module fails" 1 "newmod is in no module" \
  "$(tree unknown "${clean[@]}" src/cfmigrate/newmod/x.cpp=cfmigrate/util/result.hpp)"

total=6
echo "$((total - failures)) passed, $failures failed"
((failures == 0))
