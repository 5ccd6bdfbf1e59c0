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
# the build dir first (ASan+UBSan with g++, libFuzzer with clang; docs/testing.md). `fuzz` is left
# out unless CFMIGRATE_TEST_EXCLUDE says otherwise (`CFMIGRATE_TEST_EXCLUDE= contrib/test.sh` runs
# it too): its clang tree costs more build time than a CI run can spare, and the readers it
# explores are also run through the generated mutation corpus of integration.plan_journal_mutations.
jobs=${CFMIGRATE_TEST_JOBS:-2}
exclude=${CFMIGRATE_TEST_EXCLUDE-fuzz}
ctest --test-dir "$build_dir" --output-on-failure --timeout 900 -j "$jobs" ${exclude:+-LE "$exclude"} "$@"
