#!/usr/bin/env bash
# The README's demo: installs build dependencies, builds, then runs scan -> plan -> apply ->
# rollback of the bundled sample server tree (examples/sample-server) against the bundled
# Cloudflare API emulator on 127.0.0.1 over TLS. Works on a copy in a temporary directory;
# nothing else is touched.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/contrib/install-deps.sh"
"$here/contrib/build.sh" >/dev/null
build=${CFMIGRATE_BUILD_DIR:-$here/build}
cfmigrate="$build/cfmigrate"
emulator="$build/cfmigrate-emulator"

work=$(mktemp -d /tmp/cfmigrate-demo.XXXXXX)
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cp -a "$here/examples/sample-server/root" "$work/root"
cp -a "$work/root" "$work/original"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting the Cloudflare API emulator (TLS on 127.0.0.1, its own CA)"
"$emulator" --seed "$here/examples/sample-server/emulator-seed.json" --listen 127.0.0.1:0 --tls-dir "$work/tls" \
  --permission-groups "$here/data/permission_groups.json" >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 50); do [[ -s "$work/emulator.out" ]] && break; sleep 0.1; done
read -r _ api_base ca <"$work/emulator.out"
ca=${ca#ca=}
echo "API: $api_base (CA $ca)"
api=(--api-base "$api_base" --ca-file "$ca")

step "1. scan: where is the Global API Key used? (fingerprints only, never the key)"
"$cfmigrate" scan --root "$work/root" / || [[ $? -eq 2 ]]

step "2. plan: minimal tokens, zone scopes, masked diffs (changes nothing)"
"$cfmigrate" plan --root "$work/root" --host-name demo-host --out "$work/plan.json" --state-dir "$work/state" "${api[@]}" || [[ $? -eq 2 ]]

step "3. apply: create and verify the tokens, rewrite the files atomically, journal every step"
"$cfmigrate" apply "$work/plan.json" --yes --state-dir "$work/state" --host-name demo-host "${api[@]}"
"$cfmigrate" status --state-dir "$work/state"
echo "Tokens on the emulator now:"
curl -fsS --cacert "$ca" "${api_base%/client/v4}/__emulator/state" | python3 -c 'import json,sys; [print("  ", t["name"]) for t in json.load(sys.stdin)["tokens"]]' 2>/dev/null \
  || echo "   (install curl and python3 to list them)"
echo "Scanning the migrated tree again:"
"$cfmigrate" scan --root "$work/root" / || true

step "4. rollback: restore every file and delete the created tokens"
"$cfmigrate" rollback --last --yes --state-dir "$work/state" --host-name demo-host "${api[@]}"
if diff -r "$work/original" "$work/root" >/dev/null; then
  echo "Every file is byte-for-byte what it was before apply."
else
  echo "MISMATCH after rollback" >&2
  exit 1
fi
echo
echo "Demo finished."
