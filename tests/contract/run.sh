#!/usr/bin/env bash
# Contract test: Stoplight Prism (proxy mode, --errors) in front of cfmigrate-emulator, validating
# every request the client sends and every answer the emulator gives against Cloudflare's official
# OpenAPI schema (tests/contract/openapi-subset.global-key.json). Any violation fails the run.
#
# usage: run.sh BUILD_DIR EMULATOR_BINARY INTEGRATION_TESTS_BINARY SOURCE_DIR
# exit 77 (CTest SKIP_RETURN_CODE) only when npm is not installed.
set -euo pipefail

build_dir=$1
emulator=$2
integration_tests=$3
source_dir=$4
readonly prism_version=5.14.2
readonly spec="$source_dir/tests/contract/openapi-subset.global-key.json"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "contract: npm/node not installed; skipping" >&2
  exit 77
fi

cache="$build_dir/prism-cache"
prism="$cache/node_modules/.bin/prism"
if [[ ! -x "$prism" ]] || [[ "$("$prism" --version 2>/dev/null)" != "$prism_version" ]]; then
  mkdir -p "$cache"
  (cd "$cache" && { [[ -f package.json ]] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --loglevel=error "@stoplight/prism-cli@$prism_version" >/dev/null)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cfmigrate-contract-XXXXXX")
# Prism's log stays in the build dir for a look after the run (never in the source tree).
log_dir="$build_dir/contract"
mkdir -p "$log_dir"
prism_log="$log_dir/prism.log"
emulator_pid=""
prism_pid=""
cleanup() {
  [[ -n "$prism_pid" ]] && kill "$prism_pid" 2>/dev/null && wait "$prism_pid" 2>/dev/null || true
  [[ -n "$emulator_pid" ]] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Same identities as tests/integration/test_emulator_process.hpp (test-only values).
cat > "$work/seed.json" <<'JSON'
{"users":[{"id":"7c5dae5552338874e5053f2534d2767a","email":"admin@example.com",
           "global_key":"0f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1a3c5","accounts":["01a7362d577a6c3019a474fd6f485823"]}],
 "accounts":[{"id":"01a7362d577a6c3019a474fd6f485823","name":"Example Account"}],
 "zones":[{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"example.com","account":"01a7362d577a6c3019a474fd6f485823"},
          {"id":"1b5c6b1a2f3e4d5c6b7a8f9e0d1c2b3a","name":"example.org","account":"01a7362d577a6c3019a474fd6f485823"}],
 "tokens":[{"name":"bootstrap","user":"7c5dae5552338874e5053f2534d2767a","value":"bootstrapTokenForTests0123456789abcdefgh",
            "policies":[{"effect":"allow","permission_groups":[{"id":"686d18d5ac6c441c867cbf6771e58a0a"}],
                         "resources":{"com.cloudflare.api.user.7c5dae5552338874e5053f2534d2767a":"*"}},
                        {"effect":"allow","permission_groups":[{"id":"5bc3f8b21c554832afc660159ab75fa4"}],
                         "resources":{"com.cloudflare.api.account.01a7362d577a6c3019a474fd6f485823":"*"}}]}]}
JSON

"$emulator" --seed "$work/seed.json" --http --listen 127.0.0.1:0 \
  --permission-groups "$source_dir/data/permission_groups.json" > "$work/emulator.out" 2> "$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/emulator.out" ]] && break
  sleep 0.1
done
upstream=$(awk 'NR==1 {print $2}' "$work/emulator.out")
[[ "$upstream" == http://127.0.0.1:* ]] || { echo "contract: emulator did not start" >&2; cat "$work/emulator.err" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)))
"$prism" proxy -h 127.0.0.1 -p "$port" --errors "$spec" "$upstream" > "$prism_log" 2>&1 &
prism_pid=$!
ready=0
for _ in $(seq 1 300); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/__probe"; then ready=1; break; fi
  kill -0 "$prism_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ $ready -ne 1 ]]; then
  echo "contract: Prism did not start" >&2
  cat "$prism_log" >&2
  exit 1
fi

# Prism serves the schema paths without /client/v4; it forwards them to the emulator's /client/v4.
status=0
CFMIGRATE_CONTRACT_API_BASE="http://127.0.0.1:$port" "$integration_tests" --run_test=client_contract --log_level=test_suite || status=$?
if grep -q "violation" "$prism_log"; then
  echo "contract: Prism reported schema violations:" >&2
  grep "violation" "$prism_log" >&2
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "--- prism log (tail) ---" >&2
  tail -n 40 "$prism_log" >&2
fi
exit $status
