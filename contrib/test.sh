#!/usr/bin/env bash
# The README's test command: installs the build and test dependencies, builds, runs every test.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CFMIGRATE_WITH_TEST_TOOLS=1 "$here/contrib/install-deps.sh"
"$here/contrib/build.sh"
build_dir=${CFMIGRATE_BUILD_DIR:-$here/build}
# One CTest test per Boost.Test suite, run two at a time (the suites share no ports or state
# dirs; tests that must run alone say so with RUN_SERIAL). Extra arguments go to ctest
# (e.g. `-L unit`, `-LE fleet`). The `sanitize` and `fuzz` labels build their own trees under
# the build dir first (ASan+UBSan with g++, libFuzzer with clang; docs/testing.md): skip them
# with `-LE 'sanitize|fuzz'` for a quick run.
jobs=${CFMIGRATE_TEST_JOBS:-2}
ctest --test-dir "$build_dir" --output-on-failure --timeout 900 -j "$jobs" "$@"
