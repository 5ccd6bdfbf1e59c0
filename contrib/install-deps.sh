#!/usr/bin/env bash
# Installs what cfmigrate needs to build and test on Debian 12 (bookworm). Idempotent: packages
# already present are not reinstalled. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config
          libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev
          libssl-dev openssl ca-certificates util-linux)
if [[ "${CFMIGRATE_WITH_TEST_TOOLS:-0}" == 1 ]]; then
  # The contract test runs Stoplight Prism (npm); the fleet test runs Ansible; the scan smoke
  # benchmark uses python3 (its tree generator and scorer). The `fuzz` label builds libFuzzer
  # targets with clang: clang-14, its libFuzzer/sanitizer runtimes (libclang_rt.fuzzer-x86_64.a
  # is in libclang-rt-14-dev, which clang-14 only recommends) and llvm-symbolizer (llvm-14) for
  # readable stacks.
  packages+=(nodejs npm ansible python3 curl clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from elsewhere on a developer machine; do not fight it.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if ((${#missing[@]} == 0)); then
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "cfmigrate: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
