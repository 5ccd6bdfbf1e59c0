#!/usr/bin/env bash
# Apply-pacing benchmark (issue 7, part 2): `cfmigrate apply` of a plan with >= 500 tokens against
# cfmigrate-emulator with a scaled rate limit (default 120 requests per 30 s, a tenth of
# Cloudflare's 1200/300 window), the same budget given to apply's client-side limiter.
# Reports tokens created, API requests, 429 answers, wall time, the minimum the limit allows, and
# their ratio; then (unless -R) the same for `cfmigrate rollback` (which deletes the tokens).
#
#   tests/bench/run_apply_bench.sh [-b BUILD_DIR] [-d WORK_DIR] [-l N/SECONDS] [-L N/SECONDS]
#                                  [-c CUSTOMERS] [-s SITES] [-T MAX_RATIO] [-R] [-N] [-o RESULTS.json]
#
#   -b  directory holding cfmigrate and cfmigrate-emulator (default build-pacing, then build)
#   -d  work directory, kept afterwards (default a temporary one, removed)
#   -l  the emulator's fixed window (default 120/30);  -L  apply's --rate-limit (default: same as -l)
#   -c, -s  customers and sites per customer for generate_apply_tree.py (default 13 x 40 = 520 tokens)
#   -T  also fail when wall / minimum > MAX_RATIO (the issue's target is 1.15); default: report only
#   -R  skip the rollback phase
#   -N  do not reset the emulator's window before apply and rollback (see below)
#   -o  write the numbers as JSON
#
# Minimum: the emulator's window starts at the first request after the previous window ended and
# admits N requests, so R requests need at least floor((R - 1) / N) * W seconds from the first to
# the last (R counts the requests that were answered normally; 429 answers are waste and are
# reported separately). The emulator's window is reset (admin endpoint) before apply and before
# rollback, so each command is measured from a fresh window; with -N it is not, and a command
# starts in whatever window the previous one left (each process's limiter starts empty).
# The journal's timestamps split each phase into its API part and its file part.
# Exit: 0 no 429 (and ratio within -T if given), 1 otherwise or when a step failed, 2 usage.
# Needs: python3, curl, bc. Never prints a key or token: keys live only in the tree and the seed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=""
WORK=""
LIMIT="120/30"
CLIENT_LIMIT=""
CUSTOMERS=13
SITES=40
MAX_RATIO=""
ROLLBACK=1
RESET=1
RESULTS=""
usage() { sed -n '2,28p' "$0"; exit 2; }
while getopts "b:d:l:L:c:s:T:RNo:h" opt; do
  case "$opt" in
    b) BUILD="$OPTARG" ;;
    d) WORK="$OPTARG" ;;
    l) LIMIT="$OPTARG" ;;
    L) CLIENT_LIMIT="$OPTARG" ;;
    c) CUSTOMERS="$OPTARG" ;;
    s) SITES="$OPTARG" ;;
    T) MAX_RATIO="$OPTARG" ;;
    R) ROLLBACK=0 ;;
    N) RESET=0 ;;
    o) RESULTS="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
[[ "$LIMIT" =~ ^[0-9]+/[0-9]+$ ]] || { echo "-l must look like 120/30"; exit 2; }
CLIENT_LIMIT=${CLIENT_LIMIT:-$LIMIT}
if [ -z "$BUILD" ]; then
  for b in "$REPO/build-pacing" "$REPO/build"; do
    [ -x "$b/cfmigrate" ] && [ -x "$b/cfmigrate-emulator" ] && { BUILD="$b"; break; }
  done
fi
CFM="$BUILD/cfmigrate"
EMU="$BUILD/cfmigrate-emulator"
[ -x "$CFM" ] && [ -x "$EMU" ] || { echo "no cfmigrate / cfmigrate-emulator in '$BUILD' (use -b)"; exit 2; }
for tool in curl bc python3; do command -v "$tool" >/dev/null || { echo "$tool missing"; exit 2; }; done

KEEP=1
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d /tmp/cfm-apply-bench.XXXXXX)
  KEEP=0
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
EMU_PID=""
cleanup() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  if [ "$KEEP" -eq 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
# Credentials and faults from the caller's environment would change what is measured.
unset CLOUDFLARE_API_TOKEN CLOUDFLARE_EMAIL CLOUDFLARE_API_KEY CFMIGRATE_FAIL_AT CFMIGRATE_API_BASE CFMIGRATE_CA_FILE
unset HTTPS_PROXY https_proxy

now() { date +%s.%N; }
HOST=bench-host

echo "machine:   $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binaries:  $BUILD"
echo "limit:     emulator $LIMIT, apply --rate-limit $CLIENT_LIMIT"
python3 "$HERE/generate_apply_tree.py" --out "$WORK/tree" --customers "$CUSTOMERS" --sites "$SITES" --force
EXPECTED=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tokens_expected"])' "$WORK/tree/manifest.json")
ROOT="$WORK/tree/root"

"$EMU" --seed "$WORK/tree/emulator-seed.json" --listen 127.0.0.1:0 --tls-dir "$WORK/tls" --exit-with-parent \
  --rate-limit "$LIMIT" --permission-groups "$REPO/data/permission_groups.json" >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
EMU_PID=$!
for _ in $(seq 100); do [ -s "$WORK/emulator.out" ] && break; sleep 0.1; done
read -r _ API_BASE CA <"$WORK/emulator.out" || { echo "the emulator did not start:"; cat "$WORK/emulator.err"; exit 1; }
CA=${CA#ca=}
ADMIN=${API_BASE%/client/v4}/__emulator
API=(--api-base "$API_BASE" --ca-file "$CA")

state() { curl -fsS --cacert "$CA" "$ADMIN/state"; }
# requests, 429s (the fixed window's) and tokens named cfmigrate/* on the emulator now.
counters() {
  state | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["requests"], s["rate_limited"], sum(1 for t in s["tokens"] if t["name"].startswith("cfmigrate/")))'
}
fresh_window() { curl -fsS --cacert "$CA" -X POST -d '{"reset_rate_limit": true}' "$ADMIN/faults" >/dev/null; }

t0=$(now)
rc=0
"$CFM" scan --root "$ROOT" --format json / >"$WORK/scan.json" || rc=$?
[ "$rc" -eq 2 ] || { echo "scan exited $rc (expected 2: keys found)"; exit 1; }
t1=$(now)
"$CFM" plan --root "$ROOT" --host-name "$HOST" --out "$WORK/plan.json" --from-scan "$WORK/scan.json" "${API[@]}" \
  --rate-limit "$CLIENT_LIMIT" >"$WORK/plan.out" 2>"$WORK/plan.err" || rc=$?
t2=$(now)
[ -s "$WORK/plan.json" ] || { echo "plan failed (exit $rc):"; tail -5 "$WORK/plan.err"; exit 1; }
PLANNED=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(len(p["tokens"]), len(p["edits"]), len(p["manual"]))' "$WORK/plan.json")
read -r TOKENS EDITS MANUAL <<<"$PLANNED"
printf 'scan:      %.1f s;  plan: %.1f s, %d tokens, %d files to edit, %d manual items (expected %d tokens)\n' \
  "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$TOKENS" "$EDITS" "$MANUAL" "$EXPECTED"
[ "$TOKENS" -eq "$EXPECTED" ] || { echo "the plan has $TOKENS tokens, expected $EXPECTED"; exit 1; }

# One timed phase: $1 name, rest the command. Prints and stores "name requests 429s tokens wall".
PHASES=()
phase() {
  local name=$1; shift
  if [ "$RESET" -eq 1 ]; then fresh_window; fi
  local before after a b rc=0
  before=$(counters)
  a=$(now)
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  b=$(now)
  after=$(counters)
  if [ "$rc" -ne 0 ]; then
    echo "$name exited $rc:"; tail -5 "$WORK/$name.err"; tail -3 "$WORK/$name.out"
  fi
  read -r r0 q0 _ <<<"$before"
  read -r r1 q1 tok <<<"$after"
  PHASES+=("$name $((r1 - r0)) $((q1 - q0)) $tok $(echo "$b - $a" | bc) $rc")
}

phase apply "$CFM" apply "$WORK/plan.json" --yes --state-dir "$WORK/state" --host-name "$HOST" "${API[@]}" \
  --rate-limit "$CLIENT_LIMIT"
if [ "$ROLLBACK" -eq 1 ]; then
  phase rollback "$CFM" rollback --last --yes --state-dir "$WORK/state" --host-name "$HOST" "${API[@]}" \
    --rate-limit "$CLIENT_LIMIT"
fi

# The project's rule: no key in any output. Check every log, report and plan this run wrote
# (the keys are read from the seed into a 0600 file and only compared, never printed).
umask 077
LEAK=0
python3 -c 'import json,sys; [print(u["global_key"]) for u in json.load(open(sys.argv[1]))["users"]]' \
  "$WORK/tree/emulator-seed.json" >"$WORK/keys.txt"
if grep -lF -f "$WORK/keys.txt" "$WORK"/*.out "$WORK"/*.err "$WORK/scan.json" "$WORK/plan.json" >"$WORK/leaks.txt"; then
  echo "SECRET IN OUTPUT: a Global key appears in $(tr '\n' ' ' <"$WORK/leaks.txt")"
  LEAK=1
else
  echo "secrets:   no Global key in the outputs, scan report or plan"
fi
rm -f "$WORK/keys.txt"

JOURNAL=$(ls "$WORK"/state/migrations/*/journal.jsonl 2>/dev/null | head -1 || true)
python3 - "$LIMIT" "$EXPECTED" "${MAX_RATIO:-0}" "$RESULTS" "$LEAK" "$JOURNAL" "${PHASES[@]}" <<'EOF'
import datetime, json, sys
limit, expected, max_ratio, results = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
leak = sys.argv[5] == "1"
n, w = (int(x) for x in limit.split("/"))
out, ok = {"limit": {"requests": n, "window_seconds": w}, "tokens_expected": expected, "secret_in_output": leak}, not leak
first, last = {}, {}
if sys.argv[6]:
    for line in open(sys.argv[6]):
        r = json.loads(line)
        t = datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00")).timestamp()
        first.setdefault(r["type"], t)
        last[r["type"]] = t
# (API part, file part) of each phase, from the journal: apply creates every token before it
# writes any file; rollback restores every file before it deletes any token.
SPANS = {"apply": (("token_create_intent", "token_verified"), ("file_backup", "completed")),
         "rollback": (("token_delete_intent", "rolled_back"), ("rollback_started", "file_restored"))}
for p in sys.argv[7:]:
    name, requests, r429, tokens, wall, rc = p.split()
    requests, r429, tokens, wall, rc = int(requests), int(r429), int(tokens), float(wall), int(rc)
    answered = requests - r429
    minimum = ((answered - 1) // n) * w if answered > 0 else 0
    ratio = wall / minimum if minimum > 0 else float("nan")
    # After apply the tokens exist; after rollback none may be left.
    tokens_ok = tokens == expected if name == "apply" else tokens == 0
    print("%-9s tokens on the emulator %d (expected %d), requests %d, 429s %d, wall %.1f s, "
          "minimum floor((%d-1)/%d)*%d = %d s, ratio %.3f%s"
          % (name + ":", tokens, expected if name == "apply" else 0, requests, r429, wall, answered, n, w, minimum, ratio,
             "" if rc == 0 else "  (exit %d)" % rc))
    out[name] = {"tokens_on_emulator": tokens, "requests": requests, "rate_limited_429": r429, "wall_seconds": round(wall, 3),
                 "minimum_seconds": minimum, "ratio": round(ratio, 4), "exit": rc}
    (a0, a1), (f0, f1) = SPANS[name]
    if all(k in first for k in (a0, a1, f0, f1)):
        api, files = last[a1] - first[a0], last[f1] - first[f0]
        print("           journal: API part %.1f s (%s .. last %s), files %.1f s" % (api, a0, a1, files))
        out[name].update({"api_part_seconds": round(api, 3), "file_part_seconds": round(files, 3)})
    ok = ok and rc == 0 and r429 == 0 and tokens_ok
    if max_ratio > 0 and ratio > max_ratio:
        print("  ratio %.3f > %.2f" % (ratio, max_ratio))
        ok = False
if results:
    with open(results, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
sys.exit(0 if ok else 1)
EOF
