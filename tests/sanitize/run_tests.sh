#!/usr/bin/env bash
# Runs the unit or integration suites of the sanitizer tree (built by build_tree.sh with
# CFMIGRATE_SANITIZE=ON) and fails on any sanitizer report.
#
# usage: run_tests.sh TREE_DIR LABEL
#
# Every process the suites start (cfmigrate, cfmigrate-emulator, the fault binary) inherits the
# options below: any ASan, LSan or UBSan finding aborts that process (so an expected exit code 1
# can never hide one), and the report goes to a file under TREE_DIR/sanitizer-reports, not to
# the child's stderr, which the tests swallow. Whatever a test made of the abort, a report file
# fails this run and is printed.
set -euo pipefail

tree=$1
label=$2
reports="$tree/sanitizer-reports/$label"
rm -rf "$reports"
mkdir -p "$reports"

common="abort_on_error=1:halt_on_error=1:print_stacktrace=1:log_path=$reports/report"
export ASAN_OPTIONS="$common:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="$common"
export LSAN_OPTIONS="$common"

status=0
jobs=${CFMIGRATE_TEST_JOBS:-2}
start=$SECONDS
ctest --test-dir "$tree" -L "^$label\$" --output-on-failure -j "$jobs" || status=$?
echo "sanitized $label suites ran in $((SECONDS - start)) s"

shopt -s nullglob
found=("$reports"/report*)
if ((${#found[@]} > 0)); then
  echo "${#found[@]} sanitizer report(s):" >&2
  for f in "${found[@]}"; do
    echo "---- $f" >&2
    cat "$f" >&2
  done
  status=1
fi
exit "$status"
