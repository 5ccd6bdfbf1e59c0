#!/usr/bin/env bash
# Configures and builds a checking tree of cfmigrate (the `sanitize` and `fuzz` CTest fixtures).
#
# usage: build_tree.sh SOURCE_DIR TREE_DIR LAUNCHER TARGETS -- CMAKE_ARGS...
#   LAUNCHER: the parent tree's compiler launcher (ccache) or "" ; TARGETS: comma-separated.
# Jobs: CFMIGRATE_JOBS (as contrib/build.sh), else nproc. Runs niced: it shares the machine
# with whatever else the test run does.
set -euo pipefail

source_dir=$1
tree=$2
launcher=$3
IFS=, read -r -a targets <<<"$4"
shift 4
[[ "${1:-}" == "--" ]] && shift

args=(-S "$source_dir" -B "$tree" -G Ninja -DCFMIGRATE_WERROR=OFF "$@")
if [[ -n "$launcher" ]]; then
  args+=("-DCMAKE_CXX_COMPILER_LAUNCHER=$launcher")
fi
cmake "${args[@]}" >"$tree.configure.log" 2>&1 || { cat "$tree.configure.log" >&2; exit 1; }
jobs=${CFMIGRATE_JOBS:-$(nproc)}
start=$SECONDS
nice -n 10 cmake --build "$tree" -j "$jobs" --target "${targets[@]}"
echo "built ${targets[*]} in $tree in $((SECONDS - start)) s"
