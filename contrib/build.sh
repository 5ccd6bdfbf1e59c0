#!/usr/bin/env bash
# Configures and builds cfmigrate into ${CFMIGRATE_BUILD_DIR:-build} (warnings are errors).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${CFMIGRATE_BUILD_DIR:-$here/build}
jobs=${CFMIGRATE_JOBS:-$(nproc)}
cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCFMIGRATE_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$jobs"
