#!/usr/bin/env bash
# Runs one libFuzzer target for a fixed time (the `fuzz` CTest label).
#
# usage: run_fuzzer.sh FUZZER SEEDS_DIR REGRESSIONS_DIR WORK_DIR SECONDS DICT
#
# libFuzzer first runs every seed (tests/fuzz/corpus/<target>: files the tool wrote) and every
# saved crash (tests/fuzz/regressions/<target>, when present), then mutates for SECONDS. New
# inputs go to WORK_DIR/corpus (kept between runs of this build tree); a crash, leak, hang or
# sanitizer report fails the test and its input is written to WORK_DIR/artifacts/: copy it to
# tests/fuzz/regressions/<target>/ so every later run replays it.
set -euo pipefail

fuzzer=$1
seeds=$2
regressions=$3
work=$4
seconds=$5
dict=$6

mkdir -p "$work/corpus" "$work/artifacts"
dirs=("$work/corpus" "$seeds")
if [[ -d "$regressions" ]]; then
  dirs+=("$regressions")
fi
# clang's runtimes symbolize stacks with llvm-symbolizer; Debian keeps it out of PATH.
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" && -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 "${dirs[@]}" || status=$?
if ((status != 0)); then
  echo "$(basename "$fuzzer"): failed (exit $status); the input is in $work/artifacts/:" >&2
  ls -l "$work/artifacts/" >&2
fi
exit "$status"
